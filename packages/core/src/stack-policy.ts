/**
 * Which errors capture a stack trace when they are created:
 * - `'all'`: every error (development: every stack is worth its cost);
 * - `'server'`: only entries with a 5xx status. A declared 4xx is control flow (a missing user, a bad
 *   field): its stack names the same throw site every time and costs V8 5–6 µs per error to collect
 *   (translating optimised frames), about a tenth of a whole error response.
 */
export type StackTraces = 'all' | 'server'

/** The policy when none is given: `'server'` under `NODE_ENV=production`, `'all'` otherwise. */
export function defaultStackTraces (): StackTraces {
  // Read when a catalog is defined, not per error: the environment of a running service does not change.
  const env = typeof process === 'object' && process !== null ? process.env?.NODE_ENV : undefined
  return env === 'production' ? 'server' : 'all'
}

/** Validates a `stackTraces` option once; a bad value throws a TypeError naming `where`. */
export function checkStackTraces (value: unknown, where: string): StackTraces {
  if (value !== 'all' && value !== 'server') {
    throw new TypeError(`${where} must be 'all' or 'server' (got ${JSON.stringify(String(value).slice(0, 32))})`)
  }
  return value
}

/** Whether an entry of `status` captures stacks: its own `captureStack` wins over the catalog's policy. */
export function capturesStack (policy: StackTraces, status: number, own: boolean | undefined): boolean {
  if (own !== undefined) return own
  return policy === 'all' || status >= 500
}
