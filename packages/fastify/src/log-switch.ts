import type { FastifyInstance, FastifyRequest } from 'fastify'

/** Fastify's LogController as far as the plugin uses it (Fastify ≥ 5.12; `isLogDisabled(request)`). */
interface LogController {
  isLogDisabled: (request: FastifyRequest) => boolean
  requestIdLogLabel?: unknown
}

/** Whether per-request log lines are switched off for a request. */
export type LogSwitch = (request: FastifyRequest) => boolean

const ON: LogSwitch = () => false
const OFF: LogSwitch = () => true

/**
 * Fastify's own switch for per-request log lines (`logController`, or the deprecated top-level
 * `disableRequestLogging`), so the plugin's error and not-found lines follow it as Fastify's do.
 * Fastify keeps the controller behind a private symbol and exposes no getter; it is looked up once,
 * at registration, by the symbol's description. Older Fastify versions: `initialConfig`.
 */
export function logSwitchOf (app: FastifyInstance): LogSwitch {
  const controller = findLogController(app)
  if (controller !== undefined) return (request) => controller.isLogDisabled(request) === true
  /* c8 ignore next 2: Fastify before 5.12 only (no logController); the Fastify installed here always has one */
  const disabled = (app.initialConfig as { disableRequestLogging?: unknown } | undefined)?.disableRequestLogging
  return disabled === true ? OFF : ON
}

/** The key under which Fastify binds the request id to each request's logger (`reqId` unless set). */
export function requestIdLogLabelOf (app: FastifyInstance): string {
  const controller = findLogController(app)
  // Before Fastify 5.12 (no LogController) the label was a top-level option, kept in initialConfig.
  const label = controller !== undefined ? controller.requestIdLogLabel : (app.initialConfig as { requestIdLogLabel?: unknown } | undefined)?.requestIdLogLabel
  // Fastify uses the label as a key, so a number given for it is its text.
  return (typeof label === 'string' || typeof label === 'number') && String(label) !== '' ? String(label) : 'reqId'
}

function findLogController (app: FastifyInstance): LogController | undefined {
  try {
    for (let o: object | null = app; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      for (const key of Object.getOwnPropertySymbols(o)) {
        if (key.description !== 'fastify.logController') continue
        const value = (o as Record<symbol, unknown>)[key] as Partial<LogController> | undefined
        if (typeof value?.isLogDisabled === 'function') return value as LogController
      }
    }
    /* c8 ignore next 2: only a Proxy or exotic stand-in for a Fastify instance throws here; register() is always given a real one */
  } catch {
    // A Proxy or an exotic instance: fall back to initialConfig.
  }
  return undefined
}
