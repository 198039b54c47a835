import { AsyncResource } from 'node:async_hooks'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FaultLog } from './fault-log.js'
import type { GuardedRecorder } from './guarded-ports.js'
import { pathOf, type RequestState } from './request-state.js'
import { routeOf } from './route-context.js'

/** Arranges for the recorder to receive the request's error once its response has finished. */
export type RecordWhenFinished = (request: FastifyRequest, reply: FastifyReply, state: RequestState) => void

/**
 * Counts a failed request when its response finishes (the status is final), from the error handler.
 * Not an `onResponse` hook: without Fastify's logger, any such hook makes Fastify set up two response
 * listeners and two clock reads for every request, successes included, 0.7–0.8 µs per request in CPU
 * profiles (and the recorder only counts failures). The error handler can run twice on one request
 * (`reply.fail()` then a throw, an error while an async `onSend` hook is pending): it calls this on the
 * first error only, and the one event names the last error, with the status that was sent (the
 * backstop's 500 when an `onSend` hook failed on the error response). Framework errors (`frameworkErrors`: a bad URL) are counted too.
 * Over HTTP/1.1 a response that never finishes (the client went away mid-write) is not counted.
 */
export function createRecordWhenFinished (recorder: GuardedRecorder, faults: FaultLog): RecordWhenFinished {
  function record (request: FastifyRequest, reply: FastifyReply, state: RequestState): void {
    // Called from an event listener: a throw here would be an uncaught exception. Its own fault kind: a
    // failure to build the event is not the recorder's, and must not use up the recorder's one logged fault.
    try {
      if (state.error === undefined) return
      state.route ??= routeOf(request)
      recorder.record(request, {
        error: state.error,
        thrown: state.thrown,
        status: reply.statusCode,
        method: request.method,
        route: state.route,
        path: pathOf(request.url),
        requestId: state.requestId,
        traceId: state.scope?.traceId,
        traceSampled: state.scope?.sampled,
        message: state.message,
        timestamp: Date.now()
      })
    } catch (fault) {
      faults.report(request.log, 'error event', fault, 'the event was dropped (the response had been sent)')
    }
  }

  return function recordWhenFinished (request, reply, state) {
    // Recorded in the async context the error was answered in: Node emits 'finish' of a pipelined HTTP/1.1
    // response in the context of the response before it, and HTTP/2's outside any request. A recorder that
    // reads the active context (Sentry's isolation scope) would give the event another request's user and
    // tags. A resource, not AsyncResource.bind(), which cost about 1 µs more per request (it defines properties).
    const context = new AsyncResource('errcodes.ErrorEvent')
    // `on` and a flag rather than `once` (a wrapper, and a removal when it fires): the listener goes with the
    // response, and light-my-request (`app.inject`) emits 'finish' twice.
    let recorded = false
    reply.raw.on('finish', () => {
      if (recorded) return
      recorded = true
      context.runInAsyncScope(record, undefined, request, reply, state)
      // Now rather than when collected: a context manager built on async_hooks' destroy (OpenTelemetry's
      // AsyncHooksContextManager) drops the resource's context at once.
      context.emitDestroy()
    })
  }
}
