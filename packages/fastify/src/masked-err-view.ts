import { errSerializer } from '@errcodes/core'
import { kMaskedView } from './logger-options.js'

/**
 * The masked `err` of a log line the plugin writes itself. A plain object would be taken by pino's
 * default err serializer for an error and typed by its constructor (`"type": "Object"`); a
 * null-prototype view with `name` keeps the real type, and the brand tells loggerOptions()'
 * serializer it is masked already.
 */
export function maskedErrView (thrown: unknown): Record<string | symbol, unknown> {
  const serialized = errSerializer(thrown)
  const view: Record<string | symbol, unknown> = Object.assign(Object.create(null) as Record<string | symbol, unknown>, serialized, { name: serialized.type })
  view[kMaskedView] = true
  return view
}
