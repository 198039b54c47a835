import t from 'tap'
import { createMetrics, createMetricsHandler } from '../src/index.js'

t.test('createMetricsHandler refuses a misspelled option (an unguarded handler otherwise)', async t => {
  const metrics = createMetrics()
  t.throws(() => createMetricsHandler(metrics, { onReqest: () => true } as never), { name: 'TypeError', message: /^createMetricsHandler: unknown option "onReqest"; did you mean "onRequest"\?/ })
  t.throws(() => createMetricsHandler(metrics, { prefx: '/ops' } as never), { name: 'TypeError', message: /^createMetricsHandler: unknown option "prefx"; did you mean "prefix"\?/ })
  t.type(createMetricsHandler(metrics, { prefix: '/ops', onRequest: () => true }), 'function')
})

t.test('a Sentry DSN with whitespace or another loose shape is refused without quoting it', async t => {
  const bad = ['https://SECRETXYZ @o1.ingest.sentry.io/1', 'https://SECRETXYZ@o1.ingest.sentry.io/1 ', 'https://SECRETXYZ@o1.ingest.sentry.io/1\n', 'https://SECRETXYZ@o1.ingest.sentry.io/', 'https://SECRETXYZ@o1.ingest.sentry.io/abc', 'ftp://SECRETXYZ@o1.ingest.sentry.io/1', 'https://o1.ingest.sentry.io/1', 'https://SEC\tRETXYZ@o1.ingest.sentry.io/1']
  for (const dsn of bad) {
    const err = t.throws(() => createMetrics({ sentry: { dsn } })) as Error
    t.match(err, { name: 'TypeError', message: /^createMetrics: option "sentry\.dsn" must be a DSN like/ }, JSON.stringify(dsn))
    t.notMatch(err.message, /SECRETXYZ|SEC/, 'the DSN is never quoted')
  }
})
