import { isAppError, type AppError } from './app-error.js'
import { causeChain } from './format-error.js'
import { isErrorLike } from './normalize-error.js'
import { redact as defaultRedact, type Redactor } from './redact.js'

// Below the default redactor's 4096-character string limit, so no piece is cut.
const STACK_PIECE = 4000

/** What the serializer writes under pino's `err` key. */
export interface SerializedError {
  type: string
  message: string
  stack?: string
  code?: string
  error_code?: number
  status?: number
  domain?: string
  severity?: string
  params?: unknown
  detail?: unknown
  cause?: Array<{ name: string, message: string }>
  [key: string]: unknown
}

/**
 * A pino `err` serializer: AppErrors keep their catalog fields, params and detail pass through the
 * redactor, messages and stacks are masked, and the cause chain is summarised (cycle-safe).
 * Use: `pino({ serializers: { err: createErrSerializer() } })`.
 */
export function createErrSerializer (redactor: Redactor = defaultRedact): (err: unknown) => SerializedError {
  const text = (value: unknown, max: number): string => {
    const masked = redactor(String(value).slice(0, max))
    return typeof masked === 'string' ? masked : ''
  }
  // Every line is masked, frames included: a message can embed another error's stack, and what
  // follows its fake frames (`user=… password=…`) is data. The stack goes through the redactor in
  // whole lines of at most ~4 KiB (its default string limit), usually one piece.
  const stackText = (stack: unknown): string => {
    const all = String(stack ?? '').slice(0, 16384)
    if (all.length <= STACK_PIECE) return text(all, STACK_PIECE)
    const pieces: string[] = []
    let from = 0
    while (from < all.length) {
      let to = from + STACK_PIECE >= all.length ? all.length : all.lastIndexOf('\n', from + STACK_PIECE)
      if (to <= from) to = Math.min(all.length, from + STACK_PIECE)
      pieces.push(text(all.slice(from, to), STACK_PIECE))
      from = to
    }
    return pieces.join('')
  }
  // A normalized error has no frames of its own (see normalizeError): show the thrown value's stack.
  const appStack = (err: AppError): string => {
    const own = String(err.stack ?? '')
    if (own.includes('\n    at ') || !isErrorLike(err.cause)) return stackText(own)
    return stackText(`${own}\n    [caused by] ${String(err.cause.stack ?? err.cause.message)}`)
  }
  return (err: unknown): SerializedError => {
    try {
      if (isAppError(err)) {
        return {
          type: err.name,
          message: text(err.message, 4096),
          stack: appStack(err),
          code: err.code,
          error_code: err.errorCode,
          status: err.status,
          domain: err.domain,
          severity: err.severity,
          params: redactor(err.params),
          ...(err.detail === undefined ? {} : { detail: redactor(err.detail) }),
          ...(err.cause === undefined ? {} : { cause: causeChain(err.cause).map(c => ({ name: text(c.name, 128), message: text(c.message, 1024) })) })
        }
      }
      if (isErrorLike(err)) {
        return { type: text(err.name, 128), message: text(err.message, 4096), stack: stackText(err.stack) }
      }
      return { type: typeof err, message: text(typeof err === 'object' ? safeJson(redactor(err)) : String(err), 4096) }
    } catch {
      return { type: 'Unreadable', message: '' }
    }
  }
}

/** The serializer with the default redactor. */
export const errSerializer = createErrSerializer()

function safeJson (value: unknown): string {
  try {
    return JSON.stringify(value) ?? ''
  } catch {
    return ''
  }
}
