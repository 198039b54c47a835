import autocannon from 'autocannon'
import { HEADERS } from './bench-catalog.js'

/**
 * Runs autocannon against one URL and returns requests per second and how many answers had the
 * expected status (a variant that answers 500 instead of 404 must not look fast).
 */
export async function measureLoad (url, { duration, amount, connections, pipelining, expectedStatus }) {
  let matching = 0
  let other = 0
  // autocannon checks for the end on its sampling tick (1 s by default): a fixed `amount` of requests
  // samples every 100 ms so a short run is not padded to a whole second.
  const end = amount === undefined ? { duration } : { amount, sampleInt: 100 }
  const instance = autocannon({ url, ...end, connections, pipelining, headers: HEADERS, timeout: 10 })
  instance.on('response', (client, statusCode) => {
    if (statusCode === expectedStatus) matching++
    else other++
  })
  const result = await instance
  return {
    rps: result.duration > 0 ? result.requests.total / result.duration : 0,
    requests: result.requests.total,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
    errors: result.errors + result.timeouts,
    wrongStatus: other,
    matching
  }
}
