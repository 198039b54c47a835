import t from 'tap'
import { buildApp, errorLines } from './fixtures/app.js'
import { requestIdOptions } from '../src/index.js'
import { errors, otherErrors } from './fixtures/catalog.js'
import { fakeRecorder, fakeTranslator } from './fixtures/ports.js'

t.test('two apps in one process keep their own catalogs, formats, ports and fault logs', async t => {
  const metricsA = fakeRecorder()
  const metricsB = fakeRecorder('throw')
  const { app: a, lines: linesA } = await buildApp({ catalog: errors, format: 'json', metrics: metricsA, i18n: fakeTranslator() })
  const { app: b, lines: linesB } = await buildApp({ catalog: otherErrors, format: 'problem', metrics: metricsB, requestIdHeader: 'x-b-id', typeBaseUrl: 'https://b.example/' }, requestIdOptions({ header: 'x-b-id' }))
  t.teardown(() => a.close())
  t.teardown(() => b.close())
  a.get('/thing', async () => { throw errors.USER_NOT_FOUND.create({ userId: '1' }) })
  b.get('/thing', async () => { throw otherErrors.BOOK_NOT_FOUND.create({ isbn: '978' }) })
  a.get('/foreign', async () => { throw otherErrors.BOOK_NOT_FOUND.create({ isbn: '1' }) })

  const [ra, rb] = await Promise.all([a.inject({ url: '/thing', headers: { 'accept-language': 'ko' } }), b.inject({ url: '/thing', headers: { 'x-b-id': 'b-1' } })])
  t.match(ra.json(), { error_name: 'USER_NOT_FOUND', status_code: 404 })
  t.equal(ra.headers['content-language'], 'ko')
  t.equal(ra.headers['content-type'], 'application/json; charset=utf-8')
  t.match(rb.json(), { type: 'https://b.example/BOOK_NOT_FOUND', status: 404, request_id: 'b-1' })
  t.equal(rb.headers['content-type'], 'application/problem+json; charset=utf-8')
  t.equal(rb.headers['content-language'], undefined)
  t.ok(a.errcodes.catalog.has('USER_NOT_FOUND') && !a.errcodes.catalog.has('BOOK_NOT_FOUND'))
  t.ok(b.errcodes.catalog.has('BOOK_NOT_FOUND') && !b.errcodes.catalog.has('USER_NOT_FOUND'))
  // An AppError of another catalog still answers with its own entry: the error carries it.
  t.match((await a.inject('/foreign')).json(), { error_name: 'BOOK_NOT_FOUND', status_code: 404 })

  await b.inject('/thing')
  t.equal(metricsA.events.length, 2, 'app A\'s recorder saw only app A\'s two failures')
  t.equal(metricsB.events.length, 2)
  t.equal(linesB.filter(l => l.errcodes_fault === 'recorder').length, 1, 'B logged its recorder fault once')
  t.equal(linesA.filter(l => typeof l.errcodes_fault === 'string').length, 0, 'A has no fault')
  t.equal(errorLines(linesA).length, 2)
  t.equal(errorLines(linesB).length, 2)
  await a.inject('/thing')
  t.equal(metricsA.events.length, 3, 'A keeps recording although B\'s recorder throws')
})
