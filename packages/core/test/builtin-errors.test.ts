import t from 'tap'
import { builtinErrors } from '../src/builtin-errors.js'
import { isCatalog } from '../src/catalog.js'

t.test('built-ins cover what frameworks raise', async t => {
  t.ok(isCatalog(builtinErrors))
  const expected: Record<string, number> = {
    INTERNAL_ERROR: 500,
    VALIDATION_FAILED: 400,
    ROUTE_NOT_FOUND: 404,
    MALFORMED_BODY: 400,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    METHOD_NOT_ALLOWED: 405,
    RATE_LIMITED: 429,
    SERVICE_UNAVAILABLE: 503
  }
  for (const [name, status] of Object.entries(expected)) t.equal(builtinErrors.get(name)?.status, status, name)
  for (const entry of builtinErrors.list()) {
    t.ok(entry.code % 100 >= 90, `${entry.name} sits at the top of its domain (x90–x99)`)
    t.ok(entry.description !== undefined && entry.description.length > 0, `${entry.name} is documented`)
    t.same(entry.placeholders, [], `${entry.name} needs no params`)
  }
  t.equal(builtinErrors.INTERNAL_ERROR.expose, false)
  t.equal(builtinErrors.RATE_LIMITED.retryAfter, 60)
  t.equal(builtinErrors.SERVICE_UNAVAILABLE.retryAfter, 30)
})
