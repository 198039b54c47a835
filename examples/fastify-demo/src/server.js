import { buildApp } from './app.js'
import { config } from './config.js'
import { demoObservability, newOpsToken } from './observability.js'

const DEFAULT_PORT = 3000
const port = Number(process.env.PORT ?? DEFAULT_PORT)
const host = process.env.HOST ?? '127.0.0.1'
// The ops routes need a token: OPS_TOKEN (at least 16 characters) or a fresh one printed below.
const opsToken = process.env.OPS_TOKEN ?? newOpsToken()
// One preset for every package: development unless ERRCODES_PRESET says otherwise (src/config.js).
const observability = demoObservability({ opsToken, config })
const app = await buildApp({ logger: { level: process.env.LOG_LEVEL ?? 'info' }, observability, fastify: config.fastify })
const shutdown = async () => { await app.close(); observability.i18n.close(); await observability.tracing.shutdown(); process.exit(0) }
process.once('SIGINT', shutdown)
process.once('SIGTERM', shutdown)
await listen()
const base = urlOf(app.server.address())
console.log(`
@errcodes demo listening on ${base}
  Preset                  ${config.preset} (${presetSource()})
  API docs (Swagger UI)   ${base}/docs
  OpenAPI document        ${base}/docs/json
${opsLines()}Sample failing requests:
  curl -i ${base}/users/42
  curl -i -H 'Accept-Language: ko' ${base}/users/42
  curl -i -H 'Accept: application/problem+json' ${base}/orders/7
  curl -i -X POST -H 'content-type: application/json' -d '{"email":"nope"}' ${base}/users
  curl -i -X POST -H 'content-type: application/json' -d '{"card":"4242000000005030"}' ${base}/orders/100/pay
  curl -i ${base}/crash
`)

// Where the preset came from, and how to see the other bodies.
function presetSource () {
  if (process.env.ERRCODES_PRESET) return 'from ERRCODES_PRESET'
  return config.preset === 'development' ? 'ERRCODES_PRESET=production for production bodies' : 'from NODE_ENV=production'
}

// The ops routes exist only while metrics contribute them (not with ERRCODES_PRESET=disabled).
function opsLines () {
  if (observability.routes === false || observability.metrics.routes.length === 0) return '  Metrics                 off\n'
  const prefix = observability.routes.prefix ?? ''
  return `  Metrics / dashboard     ${base}${prefix}/metrics   ${base}${prefix}/api/metrics/dashboard
  Ops token               ${process.env.OPS_TOKEN === undefined ? opsToken : '(from OPS_TOKEN)'}
    browser: open the dashboard, any user name, the token as password
    curl -H 'Authorization: Bearer <token>' ${base}${prefix}/metrics
`
}

// A busy port is the most common first-run failure: with the default port, take a free one and say so
// in one line; with an explicit PORT, say which port is busy and how to choose another (no stack trace).
async function listen () {
  try {
    await app.listen({ port, host })
  } catch (err) {
    if (err.code !== 'EADDRINUSE') throw err
    if (process.env.PORT === undefined) {
      await app.listen({ port: 0, host })
      console.log(`Port ${port} is busy; using free port ${app.server.address().port} instead (choose one with PORT=<port>, e.g. PORT=3001 npx -y pnpm@10 demo).`)
      return
    }
    console.error(`Port ${port} on ${host} is busy; choose another with PORT=<port>, e.g. PORT=3001 npx -y pnpm@10 demo (PORT=0 picks a free one).`)
    await observability.tracing.shutdown()
    process.exit(1)
  }
}

// The URL the server really listens on: a wildcard address is reached through localhost.
function urlOf ({ address, family, port }) {
  const reachable = address === '0.0.0.0' || address === '::' ? 'localhost' : address
  return `http://${family === 'IPv6' && reachable !== 'localhost' ? `[${reachable}]` : reachable}:${port}`
}
