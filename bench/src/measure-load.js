import autocannon from 'autocannon'
import { HEADERS } from './bench-catalog.js'

/**
 * Runs autocannon against one URL and returns requests per second and how many answers had the
 * expected status (a variant that answers 500 instead of 404 must not look fast).
 */
export async function measureLoad (url, { duration, connections, pipelining, expectedStatus }) {
  let matching = 0
  let other = 0
  const instance = autocannon({ url, duration, connections, pipelining, headers: HEADERS, timeout: 10 })
  instance.on('response', (client, statusCode) => {
    if (statusCode === expectedStatus) matching++
    else other++
  })
  const result = await instance
  return {
    rps: result.requests.total / (result.duration || duration),
    requests: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    errors: result.errors + result.timeouts,
    wrongStatus: other,
    matching
  }
}
