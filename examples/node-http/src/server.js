import { createServer } from 'node:http'
import { randomUUID } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { builtinErrors, formatError, normalizeError, overrideCatalog, pickFormat } from '@errcodes/core'
import { errors } from './errors.js'

const catalog = overrideCatalog(builtinErrors, errors)
const orders = new Map([['1', { id: '1', total: 42 }]])

/** Answers one request; throws coded errors like any handler would. */
function route (req) {
  const url = new URL(req.url ?? '/', 'http://localhost')
  const match = /^\/orders\/([^/]+)$/.exec(url.pathname)
  if (req.method === 'GET' && match) {
    const order = orders.get(match[1])
    if (order === undefined) throw errors.ORDER_NOT_FOUND.create({ orderId: match[1] })
    return order
  }
  if (req.method === 'POST' && match) {
    throw errors.ORDER_LOCKED.create({ orderId: match[1], seconds: 5 }, { detail: { lockedBy: 'billing' } })
  }
  if (url.pathname === '/crash') throw new Error('database password=hunter2 rejected')
  throw catalog.ROUTE_NOT_FOUND.create()
}

/** The same error path for every failure: normalize, format, send. */
function sendError (req, res, thrown, requestId) {
  const err = normalizeError(thrown, catalog)
  const out = formatError(err, {
    format: pickFormat(req.headers.accept, 'json'),
    requestId,
    instance: (req.url ?? '/').split('?')[0]
  })
  if (err.status >= 500) console.error(JSON.stringify({ level: 'error', request_id: requestId, error_name: err.code, message: err.message }))
  res.writeHead(out.status, out.headers)
  res.end(JSON.stringify(out.body))
}

/** Builds the service; `listen` it yourself. */
export function createOrdersServer () {
  return createServer((req, res) => {
    const requestId = randomUUID()
    res.setHeader('x-request-id', requestId)
    try {
      const body = route(req)
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
      res.end(JSON.stringify(body))
    } catch (thrown) {
      sendError(req, res, thrown, requestId)
    }
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const port = Number(process.env.PORT ?? 3001)
  const server = createOrdersServer().listen(port, '127.0.0.1', () => {
    const { port: actual } = server.address()
    console.log(`orders service on http://127.0.0.1:${actual}`)
    console.log(`  try: curl -i http://127.0.0.1:${actual}/orders/404`)
    console.log(`       curl -i -H 'Accept: application/problem+json' http://127.0.0.1:${actual}/orders/404`)
  })
}
