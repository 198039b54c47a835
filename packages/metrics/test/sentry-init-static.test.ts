import t from 'tap'
import * as Sentry from '@sentry/node'
import type { AddressInfo } from 'node:net'
import { startSentryEndpoint } from './fixtures/sentry-endpoint.js'

// Sentry.init with `traceLifecycle: 'static'`: spans are sent inside transaction events, which pass
// the client's event processors. The reporter's processor scrubs them as it scrubs error events.
// Sentry.init is process-wide, so this file is its own process.

const endpoint = await startSentryEndpoint()
t.teardown(endpoint.close)
Sentry.init({
  dsn: endpoint.dsn,
  tracesSampleRate: 1,
  sendClientReports: false,
  traceLifecycle: 'static',
  // The endpoint runs in this process: its own requests would make transactions about transactions.
  // The test's own fetch would pass an unsampled trace to the server: it is nobody's trace here.
  tracePropagationTargets: [],
  integrations: [Sentry.httpIntegration({ ignoreIncomingRequests: path => path.startsWith('/api/1/') })]
})
t.teardown(() => Sentry.close(500))

const { createMetrics } = await import('../src/create-metrics.js')
const { buildApp, errors } = await import('./fixtures/sentry-app.js')

const client = Sentry.getClient()
if (client === undefined) throw new Error('Sentry.init made no client')
const metrics = createMetrics({ catalog: errors, sentry: { client } })
const app = await buildApp(metrics, { before: app => { Sentry.setupFastifyErrorHandler(app) } })
await app.listen({ port: 0, host: '127.0.0.1' })
t.teardown(() => app.close())
const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`

t.test('transactions: name, URL, span names and attributes are scrubbed', async t => {
  await (await fetch(`${base}/users/jane.doe%40example.com?token=hunter2`)).arrayBuffer()
  await (await fetch(`${base}/span-secret`)).arrayBuffer()
  for (let i = 0; i < 40 && endpoint.transactions.filter(e => /^GET \/(users|span)/.test(e.transaction)).length < 2; i++) {
    await Sentry.flush(1000)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  const transactions = endpoint.transactions.filter(e => /^GET \/(users|span)/.test(e.transaction))
  t.equal(transactions.length, 2, 'both requests sent a transaction')
  const text = JSON.stringify(transactions)
  for (const secret of ['jane.doe@example.com', 'jane.doe%40example.com', 'hunter2', 'sk_live_51HxQ']) t.notOk(text.includes(secret), `no transaction contains ${secret}`)
  const users = transactions.find(e => e.transaction === 'GET /users/:id')
  t.match(users?.contexts.trace.data['url.path'], '/users/j***@example.com', 'the root span\'s path decoded and masked')
  t.notOk(users?.contexts.trace.data['url.query'], 'its query dropped')
  t.match(users?.contexts.trace.trace_id, /^[0-9a-f]{32}$/, 'ids kept')
  const own = transactions.find(e => e.transaction === 'GET /span-secret')?.spans.find((s: { description?: string }) => s.description === 'lookup j***@example.com')
  t.ok(own, 'the application\'s span, its name masked')
  t.equal(own?.data.password, '[REDACTED]')
})
