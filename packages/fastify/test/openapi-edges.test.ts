import t from 'tap'
import Fastify from 'fastify'
import swagger from '@fastify/swagger'
import { Type, defineErrors } from '@errcodes/core'
import { errcodesRefResolver, errcodesTransformObject, errorCodes } from '../src/index.js'

// A catalog with a status Node has no reason phrase for, and a deprecated entry.
const errors = defineErrors({
  CLIENT_GONE: { code: 370, domain: 'RESOURCE', status: 499, message: 'The client closed the request' },
  OLD_LOOKUP: { code: 371, domain: 'RESOURCE', status: 404, message: 'Old lookup failed', deprecated: 'use the new lookup' }
})

type Doc = { components: { schemas: Record<string, any> }, paths: Record<string, Record<string, { responses: Record<string, any> }>> }

t.test('a shared user schema is named by its $id and left alone; a route of several methods documents body errors', async t => {
  const app = Fastify()
  await app.register(swagger, { openapi: { info: { title: 'test', version: '1.0.0' } }, refResolver: errcodesRefResolver, transformObject: errcodesTransformObject })
  app.addSchema({ $id: 'User', type: 'object', properties: { id: { type: 'string' } } })
  await app.register(errorCodes, { catalog: errors })
  app.route({ method: ['GET', 'POST'], url: '/users', schema: { response: { 200: { $ref: 'User#' } } }, errors: [errors.CLIENT_GONE, errors.OLD_LOOKUP], handler: async () => ({ id: '1' }) })
  t.teardown(() => app.close())
  await app.ready()
  const doc = app.swagger() as unknown as Doc
  t.same(doc.components.schemas.User, { type: 'object', properties: { id: { type: 'string' } } }, 'named by $id, untouched')
  t.ok(doc.components.schemas['Error.CLIENT_GONE'], 'the error components are unpacked beside it')
  t.equal(doc.components.schemas['Error.OLD_LOOKUP'].deprecated, true, 'a deprecated code is a deprecated component')
  const get = doc.paths['/users'].get.responses
  const post = doc.paths['/users'].post.responses
  t.equal(get['499'].description, 'Error: CLIENT_GONE', 'no reason phrase for 499: "Error"')
  // One route, one schema: since its POST parses a body, both methods list the body errors.
  t.match(post['415'].description, /UNSUPPORTED_MEDIA_TYPE/)
  t.same(get['415'], post['415'])
})

t.test('an "errors" list holding undefined is refused at registration', async t => {
  const app = Fastify()
  await app.register(errorCodes, { catalog: errors })
  t.teardown(() => app.close())
  t.throws(() => app.get('/x', { errors: [undefined as never] }, async () => 'ok'), { name: 'TypeError', message: /GET \/x lists an error that is not in the registered catalog \(undefined\)/ })
})

t.test('a Swagger 2.0 document is returned as @fastify/swagger made it (the components need OpenAPI 3)', async t => {
  const app = Fastify()
  await app.register(swagger, { swagger: { info: { title: 'test', version: '1.0.0' } }, transformObject: errcodesTransformObject })
  await app.register(errorCodes, { catalog: errors })
  app.get('/x', async () => 'ok')
  t.teardown(() => app.close())
  await app.ready()
  const doc = app.swagger() as unknown as { swagger: string, definitions?: Record<string, unknown> }
  t.equal(doc.swagger, '2.0')
  t.notOk(Object.keys(doc.definitions ?? {}).some(n => n.startsWith('Error.')), 'no error components in a 2.0 document')
})

t.test('OpenAPI 3.0: unions, null types, type lists and examples of a detail schema are converted', async t => {
  const shaped = defineErrors({
    SHAPED: {
      code: 372,
      domain: 'RESOURCE',
      status: 409,
      message: 'Shaped',
      detail: Type.Object({
        either: Type.Union([Type.String(), Type.Null()]),
        maybe: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
        many: Type.Unsafe<string | number>({ type: ['string', 'integer'] }),
        sample: Type.String({ examples: ['abc', 'def'] })
      })
    }
  })
  const app = Fastify()
  await app.register(swagger, { openapi: { openapi: '3.0.3', info: { title: 'test', version: '1.0.0' } }, refResolver: errcodesRefResolver, transformObject: errcodesTransformObject })
  await app.register(errorCodes, { catalog: shaped })
  t.teardown(() => app.close())
  await app.ready()
  const detail = (app.swagger() as unknown as Doc).components.schemas['Error.SHAPED'].allOf[1].properties.detail.properties
  t.same(detail.either, { anyOf: [{ type: 'string' }, { nullable: true, enum: [null] }] })
  t.same(detail.maybe, { type: 'string', nullable: true })
  t.same(detail.many, { type: ['string', 'integer'] }, 'two non-null types stay a list')
  t.same(detail.sample, { type: 'string', example: 'abc' })
})
