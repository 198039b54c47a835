import { types } from 'node:util'

/** The properties Sentry's capture and its Fastify filter read off a thrown value (and errcodes after them). */
const READ = ['name', 'message', 'stack', 'cause', 'statusCode', 'status'] as const

/**
 * Whether a thrown value can be read without running code that throws: not a Proxy (its traps run on
 * every read, `in` and prototype lookup), not a symbol (`String(symbol)` works but template strings and
 * `+` throw), and no getter among name, message, stack, cause, statusCode, status that throws, nor a
 * `toString` of their values that throws. Sentry's Fastify integration reads these inside a diagnostics
 * channel subscriber, where a throw is an uncaught exception; errcodes reads them to build its event.
 * Never throws.
 */
export function readsSafely (value: unknown): boolean {
  if (typeof value === 'symbol') return false
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return true
  try {
    if (types.isProxy(value)) return false
    const target = value as Record<string, unknown>
    for (const key of READ) {
      const read = target[key]
      if (types.isProxy(read) || typeof read === 'symbol') return false
      // A value that is itself an object is converted to a string by the SDK: its toString runs here first.
      if (key !== 'cause' && typeof read === 'object' && read !== null) String(read)
    }
    return true
  } catch {
    return false
  }
}
