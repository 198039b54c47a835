import { buildApp } from './app.js'

const app = await buildApp()
await app.listen({ port: Number(process.env.PORT ?? 3002), host: '127.0.0.1' })
const base = `http://127.0.0.1:${app.server.address().port}`
console.log(`inventory service on ${base}\n  curl -i ${base}/items/pear\n  curl ${base}/metrics\n  open ${base}/api/metrics/dashboard`)
