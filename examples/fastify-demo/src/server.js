import { buildApp } from './app.js'
import { demoObservability } from './observability.js'

const port = Number(process.env.PORT ?? 3000)
const host = process.env.HOST ?? '127.0.0.1'
const observability = demoObservability()
const app = await buildApp({ logger: { level: process.env.LOG_LEVEL ?? 'info' }, observability })
const shutdown = async () => { await app.close(); await observability.tracing?.shutdown?.(); process.exit(0) }
process.once('SIGINT', shutdown)
process.once('SIGTERM', shutdown)
await app.listen({ port, host })
const base = `http://${host}:${app.server.address().port}`
console.log(`
@errcodes demo listening on ${base}
  API docs (Swagger UI)   ${base}/docs
  OpenAPI document        ${base}/docs/json
  Metrics / dashboard     ${base}/metrics   ${base}/api/metrics/dashboard
Sample failing requests:
  curl -i ${base}/users/42
  curl -i -H 'Accept-Language: ko' ${base}/users/42
  curl -i -H 'Accept: application/problem+json' ${base}/orders/7
  curl -i -X POST -H 'content-type: application/json' -d '{"email":"nope"}' ${base}/users
  curl -i -X POST -H 'content-type: application/json' -d '{"card":"4242000000005030"}' ${base}/orders/100/pay
  curl -i ${base}/crash
`)
