import type { FastifyReply, FastifyRequest } from 'fastify'
import type { FaultLog } from './fault-log.js'
import type { GuardedRecorder } from './guarded-ports.js'
import { pathOf, type RequestState } from './request-state.js'

/** Arranges for the recorder to receive the request's error once its response has finished. */
export type RecordWhenFinished = (request: FastifyRequest, reply: FastifyReply, state: RequestState) => void

/**
 * Counts a failed request when its response finishes (the status is final), from the error handler.
 * Not an `onResponse` hook: any such hook makes Fastify set up two response listeners and two clocks for
 * every request, about 1 µs per request even when it succeeds (and the recorder only counts failures).
 * The error handler calls this on a request's first error only (it can run twice: `errorHandler: false`
 * and a handler of the user's), so the one event names the last error, with the status that was sent
 * (the backstop's 500 when an `onSend` hook failed on the error response).
 * A response that never finishes (the client went away mid-write) is not counted, as with `onResponse`.
 */
export function createRecordWhenFinished (recorder: GuardedRecorder, faults: FaultLog): RecordWhenFinished {
  return function recordWhenFinished (request, reply, state) {
    reply.raw.once('finish', () => {
      // An event listener: a throw here would be an uncaught exception.
      try {
        if (state.error === undefined) return
        state.route ??= request.routeOptions.url
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
        faults.report(request.log, 'recorder', fault)
      }
    })
  }
}
