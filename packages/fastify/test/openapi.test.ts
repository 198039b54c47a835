import t from 'tap'
import Fastify, { type FastifyInstance } from 'fastify'
import swagger from '@fastify/swagger'
import { Validator } from '@seriousme/openapi-schema-validator'
import { Ajv } from 'ajv'
import addFormatsModule from 'ajv-formats'
import { defineErrors, type ErrorEntry } from '@errcodes/core'
import { componentName, errcodesRefResolver, errcodesTransformObject, errorCodes, type ErrorCodesOptions } from '../src/index.js'
import { errors, sampleError } from './fixtures/catalog.js'
import { fakeRecorder, fakeTracer } from './fixtures/ports.js'

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv
type Doc = { components: { schemas: Record<string, unknown>, examples: Record<string, any> }, paths: Record<string, Record<string, { responses: Record<string, any> }>> }

async function documented (openapi: string, options: ErrorCodesOptions = {}): Promise<FastifyInstance> {
  const app = Fastify()
  await app.register(swagger, { openapi: { openapi, info: { title: 'test', version: '1.0.0' } }, refResolver: errcodesRefResolver, transformObject: errcodesTransformObject })
  await app.register(errorCodes, { catalog: errors, ...options } as never)
  return app
}

for (const openapi of ['3.0.3', '3.1.0']) {
  t.test(`OpenAPI ${openapi}: components, route responses, a valid document`, async t => {
    const app = await documented(openapi, { metrics: fakeRecorder('ok', [{ path: '/metrics', schema: { produces: ['text/plain'] }, handle: () => ({ contentType: 'text/plain', body: '' }) }]) })
    t.teardown(() => app.close())
    app.get('/users/:id', { errors: [errors.USER_NOT_FOUND, errors.ORDER_NOT_FOUND, errors.TOKEN_EXPIRED], schema: { params: { type: 'object', properties: { id: { type: 'string' } } } } }, async () => 'ok')
    app.post('/orders', { schema: { body: { type: 'object' }, response: { 201: { type: 'object', properties: { id: { type: 'string' } } }, 404: { description: 'Mine', type: 'object', properties: { mine: { type: 'boolean' } } } } }, errors: [errors.ORDER_NOT_FOUND, errors.CARD_DECLINED] }, async () => 'ok')
    app.get('/plain', async () => 'ok')
    app.get('/hidden', { schema: { hide: true } }, async () => 'ok')
    await app.ready()
    const doc = app.swagger() as unknown as Doc
    const schemas = doc.components.schemas as Record<string, any>
    const names = Object.keys(schemas)
    t.notOk(names.some(n => n.startsWith('def-')), 'no def-N names')
    t.notOk(names.includes('ErrcodesComponents'), 'the carrier is unpacked by errcodesTransformObject')
    const text = JSON.stringify(doc)
    t.equal(text.split('"keyword":').length - 1, 1, 'the errors[] item is defined once')
    for (const entry of app.errcodes.catalog.list()) {
      for (const format of ['json', 'problem'] as const) {
        const name = componentName(entry, format)
        const [envelope, own] = schemas[name].allOf
        t.same(envelope, { $ref: `#/components/schemas/Errcodes${format === 'json' ? 'Json' : 'Problem'}Envelope` }, `${name} refines the shared envelope`)
        t.same(own.properties.error_code.enum, [entry.code], `${name} pins its code`)
        t.equal(own.additionalProperties, false, `${name} is closed`)
        t.equal('errors' in own.properties, entry.name === 'VALIDATION_FAILED', `${name}: errors[] only for validation codes`)
        t.equal('retry_after' in own.properties, entry.retryAfter !== undefined || [413, 429, 503].includes(entry.status), `${name}: retry_after only where it can be set`)
        t.notOk('stack' in own.properties || 'cause' in own.properties, `${name}: no debug fields without debug`)
        t.same(doc.components.examples[name].value.error_code, entry.code, `${name} has its example`)
        if (entry.retryAfter !== undefined) t.equal(doc.components.examples[name].value.retry_after, entry.retryAfter, `${name} example keeps retry_after`)
      }
    }
    t.same(schemas['Error.VALIDATION_FAILED'].allOf[1].properties.errors.items, { $ref: '#/components/schemas/ErrcodesValidationIssue' })
    t.match(doc.components.examples['Error.PROVIDER_DOWN'].value.message, 'retry in 30 s', 'an example message agrees with the entry\'s retryAfter')
    t.same(doc.components.examples['Error.CARD_DECLINED'].value.detail, { attempts: 1 }, 'an example carries a detail rendered from its schema')
    t.equal(componentName(errors.USER_NOT_FOUND, 'json'), 'Error.USER_NOT_FOUND')
    t.equal(componentName(errors.USER_NOT_FOUND, 'problem'), 'Problem.USER_NOT_FOUND')

    const users = doc.paths['/users/{id}'].get.responses
    const notFound = users['404']
    for (const [mediaType, format] of [['application/json', 'json'], ['application/problem+json', 'problem']] as const) {
      const content = notFound.content[mediaType]
      t.same(content.schema, { oneOf: [{ $ref: `#/components/schemas/${componentName(errors.USER_NOT_FOUND, format)}` }, { $ref: `#/components/schemas/${componentName(errors.ORDER_NOT_FOUND, format)}` }] }, `${mediaType}: oneOf for two codes on one status`)
      t.same(Object.keys(content.examples).sort(), ['ORDER_NOT_FOUND', 'USER_NOT_FOUND'], 'one named example per code')
      t.same(content.examples.USER_NOT_FOUND, { $ref: `#/components/examples/${componentName(errors.USER_NOT_FOUND, format)}` }, 'examples are referenced, defined once')
      t.same(users['401'].content[mediaType].schema, { $ref: `#/components/schemas/${componentName(errors.TOKEN_EXPIRED, format)}` }, 'a single code is a plain $ref')
    }
    t.match(notFound.description, /USER_NOT_FOUND/)
    t.ok(users['401'].headers['www-authenticate'], 'an entry\'s own header is documented')
    t.ok(users['404'].headers['x-request-id'], 'the request id header is documented')
    t.notOk(users['413'] ?? users['415'], 'a GET route has no body errors')
    t.same(users['400'].content['application/json'].schema, { oneOf: [{ $ref: '#/components/schemas/Error.VALIDATION_FAILED' }, { $ref: '#/components/schemas/Error.BAD_REQUEST' }] }, 'every route: a validation failure or a bad request (a malformed URL)')
    for (const path of ['/users/{id}', '/orders', '/plain', '/metrics']) {
      const method = path === '/orders' ? 'post' : 'get'
      const responses = doc.paths[path][method].responses
      t.match(JSON.stringify(responses['400'].content['application/json'].schema), '#/components/schemas/Error.VALIDATION_FAILED', `${path} documents 400 VALIDATION_FAILED`)
      t.match(responses['500'].content['application/problem+json'].schema, { $ref: '#/components/schemas/Problem.INTERNAL_ERROR' }, `${path} documents 500 INTERNAL_ERROR`)
      t.ok(Object.keys(responses).some(k => k.startsWith('2')), `${path} keeps a success response`)
    }
    const orders = doc.paths['/orders'].post.responses
    t.same(orders['400'].content['application/json'].schema, { oneOf: [{ $ref: '#/components/schemas/Error.VALIDATION_FAILED' }, { $ref: '#/components/schemas/Error.BAD_REQUEST' }, { $ref: '#/components/schemas/Error.MALFORMED_BODY' }] }, 'a route with a body: 400 is also a malformed body')
    t.same(orders['413'].content['application/json'].schema, { $ref: '#/components/schemas/Error.PAYLOAD_TOO_LARGE' }, '413 documented')
    t.same(orders['415'].content['application/json'].schema, { $ref: '#/components/schemas/Error.UNSUPPORTED_MEDIA_TYPE' }, '415 documented')
    t.equal(orders['404'].description, 'Mine', 'the route\'s own response wins')
    t.ok(orders['402'], 'other listed statuses are added')
    t.ok(orders['201'])
    t.equal(doc.paths['/hidden'], undefined, 'hidden routes stay hidden')
    t.same(Object.keys(doc.paths['/metrics'].get.responses['200'].content), ['text/plain'], 'a port route documents its real media type')

    const validator = new Validator()
    const result = await validator.validate(doc as never)
    t.same(result.errors, undefined)
    t.equal(result.valid, true, 'the whole document passes a real OpenAPI validator')
  })
}

t.test('hidden port routes stay out of the document', async t => {
  const app = await documented('3.1.0', { metrics: fakeRecorder('ok', [{ path: '/metrics', handle: () => ({ contentType: 'text/plain', body: '' }) }]), routes: { hide: true } })
  t.teardown(() => app.close())
  await app.ready()
  t.equal((app.swagger() as unknown as Doc).paths['/metrics'], undefined)
  t.equal((await app.inject('/metrics')).statusCode, 200)
})

t.test('a route listing an entry outside the catalog throws at registration', async t => {
  const app = await documented('3.1.0')
  t.teardown(() => app.close())
  const stranger = defineErrors({ STRANGER: { code: 380, domain: 'RESOURCE', status: 404, message: 'Stranger' } })
  t.throws(() => app.get('/x', { errors: [stranger.STRANGER] }, async () => 'ok'), { name: 'TypeError', message: /GET \/x lists an error that is not in the registered catalog \(STRANGER\)/ })
  const impostor = defineErrors({ USER_NOT_FOUND: { code: 302, domain: 'RESOURCE', status: 404, message: 'Impostor' } })
  t.throws(() => app.get('/y', { errors: [impostor.USER_NOT_FOUND] }, async () => 'ok'), /not in the registered catalog/, 'same name, other code')
  t.throws(() => app.get('/z', { errors: errors.USER_NOT_FOUND as never }, async () => 'ok'), /"errors" must be an array/)
})

t.test('documented statuses do not reshape other payloads at runtime', async t => {
  const app = await documented('3.1.0')
  t.teardown(() => app.close())
  app.get('/mine', { errors: [errors.USER_NOT_FOUND] }, async (req, reply) => reply.code(400).send({ mine: true }))
  app.get('/mine404', { errors: [errors.USER_NOT_FOUND] }, async (req, reply) => reply.code(404).send({ gone: true }))
  app.get('/default-500', async (req, reply) => reply.code(500).send({ custom: 'x' }))
  t.same((await app.inject('/mine')).json(), { mine: true })
  t.same((await app.inject('/mine404')).json(), { gone: true })
  t.same((await app.inject('/default-500')).json(), { custom: 'x' })
})

// Compiles the schema the document declares for (path, method, status, media type), resolving $refs.
function declaredValidator (doc: Doc, path: string, method: string, status: number, mediaType: string): (body: unknown) => { valid: boolean, errors: unknown } {
  const ajv = new Ajv({ strict: false, allErrors: true })
  addFormats(ajv)
  ajv.addSchema({ $id: 'doc', components: doc.components } as never)
  const raw = doc.paths[path][method].responses[String(status)].content[mediaType].schema
  const rewritten = JSON.parse(JSON.stringify(raw).replaceAll('"#/components/', '"doc#/components/'))
  const validate = ajv.compile(rewritten)
  return (body) => ({ valid: validate(body), errors: validate.errors })
}

for (const openapi of ['3.0.3', '3.1.0']) {
  for (const debug of [false, true]) {
    t.test(`OpenAPI ${openapi}${debug ? ' (debug)' : ''}: every code's real body validates against its declared schema`, async t => {
      const app = await documented(openapi, { debug, tracing: fakeTracer() })
      t.teardown(() => app.close())
      const catalog = app.errcodes.catalog
      const all = catalog.list()
      app.get('/every/:name', { errors: all }, async (req) => {
        const entry = catalog.get((req.params as { name: string }).name) as ErrorEntry
        throw sampleError(entry)
      })
      app.post('/validated', { schema: { body: { type: 'object', required: ['email'], properties: { email: { type: 'string', format: 'email' } } } } }, async () => 'ok')
      await app.ready()
      const doc = app.swagger() as unknown as Doc
      for (const [mediaType, accept] of [['application/json', 'application/json'], ['application/problem+json', 'application/problem+json']]) {
        for (const entry of all) {
          const res = await app.inject({ url: `/every/${entry.name}`, headers: { accept } })
          t.equal(res.statusCode, entry.status, `${entry.name} status`)
          t.equal(res.headers['content-type'], `${mediaType}; charset=utf-8`)
          const { valid, errors: problems } = declaredValidator(doc, '/every/{name}', 'get', entry.status, mediaType)(res.json())
          t.ok(valid, `${entry.name} as ${mediaType} matches the document`, { problems, body: res.json() })
        }
        const failed = await app.inject({ method: 'POST', url: '/validated', payload: { email: 'nope' }, headers: { accept } })
        t.ok(failed.json().errors.length > 0)
        const check = declaredValidator(doc, '/validated', 'post', 400, mediaType)(failed.json())
        t.ok(check.valid, `a real validation failure as ${mediaType} matches the document`, { problems: check.errors })
      }
      const broken = declaredValidator(doc, '/every/{name}', 'get', 404, 'application/json')({ error_code: 301, error_name: 'USER_NOT_FOUND', message: 'x', status_code: 404, timestamp: 'yesterday' })
      t.notOk(broken.valid, 'the declared schema does reject a wrong body')
    })
  }
}
