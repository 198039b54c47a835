import t from 'tap'
import Fastify from 'fastify'
import { builtinErrors } from '@errcodes/core'
import { errorCodes, type ErrorCodesOptions } from '../src/index.js'
import { resolveOptions } from '../src/options.js'
import { errors, otherErrors } from './fixtures/catalog.js'
import { fakeRecorder, fakeTracer, fakeTranslator } from './fixtures/ports.js'

// Each option, its bad values, and the name the TypeError message must carry.
const BAD: Array<[string, unknown[]]> = [
  ['catalog', [{}, { USER: { code: 1 } }, 'errors', 42, [errors, {}], null]],
  ['format', ['xml', 'JSON', 1, null, true]],
  ['i18n', [{}, { translate: () => ({}) }, { negotiate: () => 'en' }, 'en', null]],
  ['metrics', [{}, { record: 1 }, () => {}, 'prom', null]],
  ['tracing', [{}, { startRequest () {}, withScope () {}, recordError () {} }, { startRequest () {}, withScope () {}, recordError () {}, endRequest () {} }, 'otel', null]],
  ['debug', ['yes', 1, null]],
  ['notFound', ['no', 0, null]],
  ['errorHandler', ['false', 0, null]],
  ['openapi', ['true', 1, null]],
  ['requestIdHeader', ['', 'x request id', 'x-id\r\n', 'é', 'x'.repeat(65), true, 1, null]],
  ['typeBaseUrl', ['errors.example.com', '', '/relative', 'https://a b', 1, null]],
  ['redactor', ['mask', {}, 1, null]],
  ['logLevels', ['info', 1, true, null, { loud: 'error' }]],
  ['logLevels.high', [{ high: 'loud' }, { high: 1 }, { high: true }]],
  ['routes', ['yes', 1, true, null]],
  ['routes.prefix', [{ prefix: 'internal' }, { prefix: '/internal/' }, { prefix: '/in ternal' }, { prefix: 1 }, { prefix: '/' }]],
  ['routes.onRequest', [{ onRequest: 'auth' }, { onRequest: {} }]],
  ['routes.hide', [{ hide: 'yes' }, { hide: 1 }]]
]

function describe (value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(describe).join(', ')}]`
  if (typeof value === 'object' && value !== null && Object.getOwnPropertySymbols(value).length > 0) return 'a catalog'
  return typeof value === 'function' ? 'a function' : String(JSON.stringify(value))
}

t.test('every bad option value throws a TypeError naming the option', async t => {
  for (const [name, values] of BAD) {
    const key = name.split('.')[0]
    for (const value of values) {
      const options = { [key]: value } as unknown as ErrorCodesOptions
      t.throws(() => resolveOptions(options), { name: 'TypeError', message: new RegExp(`option "${name.replace('.', '\\.')}`) }, `${name} = ${describe(value)}`)
    }
  }
})

t.test('register rejects a bad option before the app is ready', async t => {
  const app = Fastify()
  app.register(errorCodes, { format: 'xml' } as never)
  await t.rejects(async () => { await app.ready() }, { name: 'TypeError', message: /option "format"/ })
})

t.test('a tracer written to the old ErrorTracer port (endRequest with the error) is refused at registration', async t => {
  // The old port handed the error twice (recordError, then endRequest({ error })); a tracer that recorded
  // it only in endRequest would silently lose every error now, so it fails at start with what changed.
  const old = { startRequest: () => undefined, withScope: (_: unknown, fn: () => void) => fn(), recordError () {}, endRequest () {} }
  const app = Fastify()
  app.register(errorCodes, { tracing: old } as never)
  await t.rejects(async () => { await app.ready() }, {
    name: 'TypeError',
    message: /^@errcodes\/fastify: option "tracing" implements the old ErrorTracer port \(endRequest.*recordError\(scope, error, status\).*finishRequest\(scope, status, route\)/
  })
  // The same object with finishRequest (a tracer that supports both ports during a migration) is accepted.
  t.doesNotThrow(() => resolveOptions({ tracing: { ...old, finishRequest () {} } }))
})

t.test('an unknown option is a TypeError at registration, naming the closest valid one', async t => {
  t.throws(() => resolveOptions({ metricz: {} } as never), { name: 'TypeError', message: /^@errcodes\/fastify: unknown option "metricz"; did you mean "metrics"\?/ })
  const app = Fastify()
  app.register(errorCodes, { formats: 'problem' } as never)
  await t.rejects(async () => { await app.ready() }, { name: 'TypeError', message: /unknown option "formats"; did you mean "format"\?/ })
})

t.test('options must be an object', async t => {
  t.throws(() => resolveOptions('json' as unknown as ErrorCodesOptions), { name: 'TypeError', message: /options must be an object/ })
  t.throws(() => resolveOptions(null as unknown as ErrorCodesOptions), { name: 'TypeError', message: /options must be an object/ })
})

t.test('catalog collisions are caught at registration', async t => {
  const { defineErrors } = await import('@errcodes/core')
  const clash = defineErrors({ MY_NOT_FOUND: { code: 390, domain: 'RESOURCE', status: 404, message: 'Mine' } })
  t.throws(() => resolveOptions({ catalog: clash }), /option "catalog": error MY_NOT_FOUND: code 390 is taken by built-in NOT_FOUND/)
  const twice = defineErrors({ USER_NOT_FOUND: { code: 302, domain: 'RESOURCE', status: 404, message: 'Other' } })
  t.throws(() => resolveOptions({ catalog: [errors, twice] }), /option "catalog": error USER_NOT_FOUND is defined twice/)
})

t.test('defaults', async t => {
  const o = resolveOptions()
  t.equal(o.catalog, builtinErrors, 'built-ins only without a catalog')
  t.equal(o.format, 'json')
  t.equal(o.debug, false)
  t.equal(o.notFound, true)
  t.equal(o.errorHandler, true)
  t.equal(o.openapi, true)
  t.equal(o.requestIdHeader, 'x-request-id')
  t.equal(o.typeBaseUrl, 'urn:errcodes:')
  t.same(o.routes, { prefix: '', onRequest: undefined, hide: false })
  t.equal(o.i18n, undefined)
  t.equal(o.metrics, undefined)
  t.equal(o.tracing, undefined)
})

t.test('good values are accepted and resolved', async t => {
  const i18n = fakeTranslator()
  const metrics = fakeRecorder()
  const tracing = fakeTracer()
  const redactor = (v: unknown): unknown => v
  const o = resolveOptions({
    catalog: [errors, otherErrors],
    format: 'problem',
    i18n,
    metrics,
    tracing,
    debug: true,
    notFound: false,
    errorHandler: false,
    openapi: false,
    requestIdHeader: 'X-Correlation-ID',
    typeBaseUrl: 'https://errors.example.com/',
    redactor,
    logLevels: { low: 'debug', critical: false },
    routes: { prefix: '/internal', hide: true }
  })
  t.ok(o.catalog.has('USER_NOT_FOUND') && o.catalog.has('BOOK_NOT_FOUND') && o.catalog.has('INTERNAL_ERROR'), 'catalogs merged over the built-ins')
  t.equal(o.format, 'problem')
  t.equal(o.i18n, i18n)
  t.equal(o.metrics, metrics)
  t.equal(o.tracing, tracing)
  t.equal(o.requestIdHeader, 'x-correlation-id', 'header names are lower-cased')
  t.equal(o.redactor, redactor)
  t.same(o.routes, { prefix: '/internal', onRequest: undefined, hide: true })
  t.equal(o.logLevels(errors.USER_NOT_FOUND.create({ userId: '1' }), 404), 'debug')
  t.equal(o.logLevels(errors.DB_CORRUPT.create({ db: 'a' }), 500), false)
  t.equal(o.logLevels(errors.CARD_DECLINED.create({ reason: 'r' }), 402), 'warn', 'unset severities keep their defaults')
  t.equal(resolveOptions({ requestIdHeader: false }).requestIdHeader, false)
  t.equal(resolveOptions({ logLevels: false }).logLevels(errors.DB_CORRUPT.create({ db: 'a' }), 500), false)
  t.equal(resolveOptions({ routes: false }).routes, false)
})
