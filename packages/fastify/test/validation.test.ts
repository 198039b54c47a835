import t from 'tap'
import Fastify from 'fastify'
import { errorCodes } from '../src/index.js'
import { buildApp } from './fixtures/app.js'
import { errors } from './fixtures/catalog.js'
import { logCapture } from './fixtures/logs.js'
import { fakeTranslator } from './fixtures/ports.js'

const schema = {
  params: { type: 'object', properties: { id: { type: 'integer', minimum: 1 } } },
  querystring: { type: 'object', properties: { limit: { type: 'integer', maximum: 100 } }, additionalProperties: false },
  headers: { type: 'object', properties: { 'x-tenant': { type: 'string', pattern: '^[a-z]+$' } }, required: ['x-tenant'] },
  body: {
    type: 'object',
    required: ['email', 'address'],
    properties: {
      email: { type: 'string', format: 'email' },
      'a/b~c': { type: 'string' },
      address: { type: 'object', required: ['street'], properties: { street: { type: 'string', minLength: 3 } } },
      tags: { type: 'array', items: { type: 'string' }, maxItems: 2 }
    }
  }
}
const good = { email: 'a@example.com', address: { street: 'Main' } }

async function app (options = {}) {
  const built = await buildApp(options)
  built.app.post('/items/:id', { schema }, async () => ({ ok: true }))
  return built
}

t.test('each request part fails with its location, field, pointer, keyword and params', async t => {
  const { app: a } = await app()
  t.teardown(() => a.close())
  const headers = { 'x-tenant': 'acme' }
  const cases: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
    ['params', { url: '/items/0', payload: good, headers }, { location: 'params', field: 'id', pointer: '/id', keyword: 'minimum', params: { comparison: '>=', limit: 1 } }],
    ['querystring', { url: '/items/1?limit=500', payload: good, headers }, { location: 'querystring', field: 'limit', pointer: '/limit', keyword: 'maximum', params: { limit: 100 } }],
    ['headers', { url: '/items/1', payload: good, headers: { 'x-tenant': 'ACME1' } }, { location: 'headers', field: 'x-tenant', pointer: '/x-tenant', keyword: 'pattern', params: { pattern: '^[a-z]+$' } }],
    ['missing header', { url: '/items/1', payload: good }, { location: 'headers', field: 'x-tenant', pointer: '/x-tenant', keyword: 'required', params: { missingProperty: 'x-tenant' } }],
    ['body format', { url: '/items/1', payload: { ...good, email: 'nope' }, headers }, { location: 'body', field: 'email', pointer: '/email', keyword: 'format', params: { format: 'email' } }],
    ['body nested', { url: '/items/1', payload: { ...good, address: { street: 'x' } }, headers }, { location: 'body', field: 'address.street', pointer: '/address/street', keyword: 'minLength', params: { limit: 3 } }],
    ['body required', { url: '/items/1', payload: { email: 'a@example.com' }, headers }, { location: 'body', field: 'address', pointer: '/address', keyword: 'required', params: { missingProperty: 'address' } }],
    ['body array', { url: '/items/1', payload: { ...good, tags: ['a', 'b', 'c'] }, headers }, { location: 'body', field: 'tags', pointer: '/tags', keyword: 'maxItems', params: { limit: 2 } }],
    ['body array item', { url: '/items/1', payload: { ...good, tags: [{}] }, headers }, { location: 'body', field: 'tags.0', pointer: '/tags/0', keyword: 'type', params: { type: 'string' } }],
    ['escaped key', { url: '/items/1', payload: { ...good, 'a/b~c': {} }, headers }, { location: 'body', field: 'a/b~c', pointer: '/a~1b~0c', keyword: 'type' }]
  ]
  for (const [label, request, issue] of cases) {
    const res = await a.inject({ method: 'POST', ...request })
    t.equal(res.statusCode, 400, label)
    const body = res.json()
    t.match(body, { error_code: 491, error_name: 'VALIDATION_FAILED', status_code: 400, message: 'Validation failed' })
    t.equal(body.errors.length, 1, `${label}: Fastify stops at the first failing part`)
    t.match(body.errors[0], issue, label)
    t.type(body.errors[0].message, 'string')
    t.same(Object.keys(body.errors[0]).sort(), ['field', 'keyword', 'location', 'message', 'params', 'pointer'])
  }
  const ok = await a.inject({ method: 'POST', url: '/items/1', payload: good, headers })
  t.same(ok.json(), { ok: true })
})

t.test('problem format carries the same errors[]', async t => {
  const { app: a } = await app({ format: 'problem' })
  t.teardown(() => a.close())
  const res = await a.inject({ method: 'POST', url: '/items/1', payload: { ...good, email: 'x' }, headers: { 'x-tenant': 'a' } })
  t.match(res.json(), { status: 400, error_name: 'VALIDATION_FAILED', errors: [{ location: 'body', pointer: '/email', keyword: 'format' }] })
})

t.test('issue messages are localized by keyword', async t => {
  const { app: a } = await app({ i18n: fakeTranslator() })
  t.teardown(() => a.close())
  const res = await a.inject({ method: 'POST', url: '/items/1', payload: { email: 'a@example.com' }, headers: { 'x-tenant': 'a', 'accept-language': 'ko' } })
  t.equal(res.json().errors[0].message, '필수 항목입니다')
  const en = await a.inject({ method: 'POST', url: '/items/1', payload: { email: 'a@example.com' }, headers: { 'x-tenant': 'a' } })
  t.match(en.json().errors[0].message, /must have required property/)
})

t.test('allErrors with a huge invalid body stays bounded', async t => {
  const { app: a } = await buildApp({}, { ajv: { customOptions: { allErrors: true } } })
  t.teardown(() => a.close())
  a.post('/many', { schema: { body: { type: 'array', items: { type: 'integer' } } } }, async () => 'ok')
  const res = await a.inject({ method: 'POST', url: '/many', payload: Array.from({ length: 500 }, () => 'x') })
  t.equal(res.statusCode, 400)
  t.equal(res.json().errors.length, 50, 'capped at 50 issues')
})

t.test('attachValidation routes keep their own handling', async t => {
  const { app: a } = await buildApp()
  t.teardown(() => a.close())
  a.get('/attach', { attachValidation: true, schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } }, async (req) => ({ invalid: req.validationError !== undefined }))
  t.same((await a.inject('/attach?n=x')).json(), { invalid: true })
})

t.test('a custom validator that returns an Error (no validation array)', async t => {
  const { app: a } = await buildApp()
  t.teardown(() => a.close())
  a.get('/custom', {
    schema: { querystring: { type: 'object' } },
    validatorCompiler: () => (data: unknown) => ({ error: new Error('custom says no password=S3CRET') }) as never
  }, async () => 'ok')
  const res = await a.inject('/custom?x=1')
  t.equal(res.statusCode, 400)
  t.equal(res.json().error_name, 'VALIDATION_FAILED')
  t.match(res.json().errors, [{ location: 'querystring', keyword: 'custom', message: /^custom says no password=/ }], 'the validator\'s message is kept, as Fastify shows it')
  t.notMatch(res.body, /S3CRET/, 'masked by the redactor')
})

t.test('non-Ajv validators and schemaErrorFormatter keep their messages in errors[] (masked)', async t => {
  const { app } = await buildApp({}, {
    schemaErrorFormatter: (errors, dataVar) => new Error(`${dataVar}: ${errors.length} problem(s), see the docs`)
  })
  t.teardown(() => app.close())
  app.post('/custom', {
    schema: { body: { type: 'object' } },
    validatorCompiler: () => (data: unknown) => {
      const name = (data as { name?: unknown } | null)?.name
      return typeof name === 'string' ? { value: data } : { error: new Error(`"name" is required (got ${JSON.stringify(data)})`) }
    }
  }, async () => ({ ok: true }))
  app.get('/formatted', { schema: { querystring: { type: 'object', properties: { n: { type: 'integer' } } } } }, async () => ({ ok: true }))
  const custom = await app.inject({ method: 'POST', url: '/custom', payload: { email: 'jane.doe@example.com' } })
  t.equal(custom.statusCode, 400)
  t.equal(custom.json().error_name, 'VALIDATION_FAILED')
  t.match(custom.json().errors, [{ location: 'body', keyword: 'custom', message: /^"name" is required/ }])
  t.notMatch(custom.body, 'jane.doe@', 'the validator\'s text is masked')
  const formatted = await app.inject('/formatted?n=x')
  t.equal(formatted.statusCode, 400)
  t.match(formatted.json().errors, [{ keyword: 'custom', message: 'querystring: 1 problem(s), see the docs' }, { keyword: 'type', field: 'n' }])
})

t.test('a custom schema store without add() does not crash registration', async t => {
  const cap = logCapture()
  const app = Fastify({
    logger: { level: 'warn', stream: cap.stream },
    schemaController: { bucket: () => ({ getSchema: () => undefined, getSchemas: () => ({}) }) as never }
  })
  t.teardown(() => app.close())
  await app.register(errorCodes, { catalog: errors })
  app.get('/x', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  const res = await app.inject('/x')
  t.equal(res.statusCode, 404)
  t.equal(res.json().error_name, 'USER_NOT_FOUND')
  t.ok(cap.lines.some(l => typeof l.msg === 'string' && l.msg.includes('schema store refused')), 'one warning says why the OpenAPI error responses are missing')
})
