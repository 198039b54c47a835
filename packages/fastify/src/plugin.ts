import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction, RouteOptions } from 'fastify'
import { maskString, type AppError, type Catalog, type CreateArgs, type ErrorEntry } from '@errcodes/core'
import { createErrorHandler, type ErrorHandler } from './error-handler.js'
import { createErrorBackstop, installErrorBackstop } from './error-backstop.js'
import { FaultLog } from './fault-log.js'
import { guardPorts } from './guarded-ports.js'
import { keepTickMapsAlive } from './keep-tick-maps-alive.js'
import { logSwitchOf, requestIdLogLabelOf } from './log-switch.js'
import { maskedErrView } from './masked-err-view.js'
import { addErrorComponents, addRouteErrorResponses, checkRouteErrors, type RouteErrorContext } from './openapi.js'
import { resolveOptions, type ErrorCodesOptions } from './options.js'
import { mountPortRoutes } from './port-routes.js'
import { createRequestHooks } from './request-hooks.js'
import { kErrcodesState } from './request-state.js'

/** The create() arguments of an entry, for `reply.fail(entry, …)`. */
export type EntryArgs<E> = E extends ErrorEntry<string, infer Def> ? CreateArgs<Def> : never

/** What the plugin decorates the instance with (`app.errcodes`). */
export interface ErrcodesDecoration {
  /** The merged catalog: built-ins plus the user's. */
  readonly catalog: Catalog
  /** The error handler, for users who compose their own (`errorHandler: false`). */
  readonly handleError: ErrorHandler
}

declare module 'fastify' {
  interface FastifyInstance {
    errcodes: ErrcodesDecoration
  }
  interface FastifyReply {
    /** Answers with an error of `entry` (typed params), e.g. from a hook where throwing is awkward. */
    fail<E extends ErrorEntry<string, any>>(entry: E, ...args: EntryArgs<E>): FastifyReply
  }
  interface RouteShorthandOptions {
    /** The catalog errors this route can answer; documented in OpenAPI, one response per status. */
    errors?: ReadonlyArray<ErrorEntry<string, any>>
  }
}

async function errorCodesPlugin (app: FastifyInstance, raw: ErrorCodesOptions): Promise<void> {
  const options = resolveOptions(raw)
  keepTickMapsAlive()
  const { catalog, metrics, requestIdHeader } = options
  const faults = new FaultLog()
  // Every port call of the plugin goes through these guards, made once here.
  const ports = guardPorts(options, faults)
  const handleError = createErrorHandler(options, faults, ports, logSwitchOf(app))

  if (typeof metrics?.useCatalog === 'function') {
    try {
      metrics.useCatalog(catalog)
    } catch (err) {
      // The recorder's own message may carry what it was configured with: masked, and no cause.
      throw new Error(`@errcodes/fastify: option "metrics": useCatalog failed: ${maskString(String((err as Error)?.message ?? err)).slice(0, 512)}`)
    }
  }
  app.decorate('errcodes', { catalog, handleError })
  app.decorateRequest(kErrcodesState, null)
  app.decorateReply('fail', function (this: FastifyReply, entry: ErrorEntry, ...args: unknown[]) {
    const err = (entry.create as (...a: unknown[]) => AppError)(...args)
    return handleError(err, this.request, this)
  })

  const hooks = createRequestHooks(requestIdHeader, ports, requestIdLogLabelOf(app))
  app.addHook('onRequest', hooks.onRequest)
  if (hooks.onResponse !== undefined) app.addHook('onResponse', hooks.onResponse)
  if (hooks.onRequestAbort !== undefined) app.addHook('onRequestAbort', hooks.onRequestAbort)

  if (options.errorHandler) {
    installErrorHandler(app, handleError)
    installErrorBackstop(app, handleError, createErrorBackstop(options, faults))
  }
  if (options.notFound) {
    const notFound = catalog.get('ROUTE_NOT_FOUND') as ErrorEntry
    // A preHandler of Fastify's own root not-found route, not a not-found handler: the root handler
    // stays Fastify's to set, so a user's `setNotFoundHandler` (before or after this plugin) simply
    // replaces this one instead of failing with "already set". `reply.callNotFound()` lands here too.
    // Fastify accepts options without a handler (its default 404 handler stays); its types do not.
    const setHooks = app.setNotFoundHandler as unknown as (opts: { preHandler: (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void }) => void
    try {
      setHooks.call(app, {
        preHandler: function errcodesNotFound (request, reply) {
          // Answering from a callback-style hook without calling done ends the request here.
          handleError(notFound.create(), request, reply)
        }
      })
    } catch {
      // The user set a root not-found handler before registering the plugin: theirs answers.
    }
  }

  if (options.openapi) {
    // A custom schema store (schemaController.bucket) may not accept schemas: the error schemas are
    // documentation only, so the app starts without them (and without the routes' error responses).
    let documented = true
    try {
      addErrorComponents(app, catalog, { debug: options.debug, typeBaseUrl: options.typeBaseUrl })
    } catch (err) {
      documented = false
      app.log.warn({ err: maskedErrView(err) }, '@errcodes/fastify: the schema store refused the error schemas; OpenAPI error responses are left out (set openapi: false to silence this)')
    }
    const entries = (...names: string[]): ErrorEntry[] => names.map(name => catalog.get(name) as ErrorEntry)
    const context: RouteErrorContext = {
      catalog,
      always: entries('VALIDATION_FAILED', 'BAD_REQUEST', 'INTERNAL_ERROR'),
      withBody: entries('MALFORMED_BODY', 'PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE'),
      requestIdHeader,
      localized: options.i18n !== undefined
    }
    const routes: RouteOptions[] = []
    app.addHook('onRoute', (route) => {
      checkRouteErrors(route, catalog)
      if (documented) routes.push(route)
    })
    // Documentation only: added after Fastify compiled the routes' serializers (see addRouteErrorResponses).
    app.addHook('onReady', (done) => {
      for (const route of routes) addRouteErrorResponses(route, context)
      routes.length = 0
      done()
    })
  }

  if (options.routes !== false && metrics?.routes !== undefined && metrics.routes.length > 0) {
    mountPortRoutes(app, metrics.routes, options.routes, catalog)
  }
}

/**
 * Sets the plugin's error handler. With `allowErrorHandlerOverride: false`, Fastify refuses a second
 * handler in the same scope with a message that does not say this plugin set the first one: both
 * orders fail at start naming the plugin option to use instead.
 */
function installErrorHandler (app: FastifyInstance, handleError: ErrorHandler): void {
  const hint = '@errcodes/fastify installed the error handler of this scope, and allowErrorHandlerOverride is false. Register the plugin with { errorHandler: false } and call app.errcodes.handleError(error, request, reply) from your own handler.'
  try {
    app.setErrorHandler(handleError)
  } catch (err) {
    if ((err as { code?: unknown }).code === 'FST_ERR_ERROR_HANDLER_ALREADY_SET') throw alreadySet(hint, err)
    throw err
  }
  // A later app.setErrorHandler() in this scope would fail with Fastify's message only. Fastify does
  // not expose allowErrorHandlerOverride (initialConfig leaves it out), so the wrapper is always set;
  // it only rewrites that one refusal and costs nothing per request.
  const original = app.setErrorHandler
  app.setErrorHandler = function setErrorHandler (this: FastifyInstance, ...args: Parameters<FastifyInstance['setErrorHandler']>) {
    try {
      return original.apply(this, args)
    } catch (err) {
      // Child scopes inherit this method: there the first handler was the user's own, so Fastify's
      // message is the right one.
      if (this === app && (err as { code?: unknown }).code === 'FST_ERR_ERROR_HANDLER_ALREADY_SET') throw alreadySet(hint, err)
      throw err
    }
  } as FastifyInstance['setErrorHandler']
}

function alreadySet (hint: string, cause: unknown): Error {
  return Object.assign(new Error(hint, { cause }), { code: 'FST_ERR_ERROR_HANDLER_ALREADY_SET' })
}

/** The plugin: `await app.register(errorCodes, { catalog, i18n, metrics, tracing })`. */
export const errorCodes = fp(errorCodesPlugin, { name: '@errcodes/fastify', fastify: '5.x' })
