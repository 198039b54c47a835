import { builtinErrors, type PortRoute } from '@errcodes/core'
import type { ErrorMetrics } from './create-metrics.js'
import { dashboardHtml } from './dashboard-page.js'
import { OPENMETRICS_CONTENT_TYPE, wantsOpenMetrics } from './open-metrics.js'
import { CodeDetailSchema, CodeParamsSchema, LimitQuerySchema, MetricsSummarySchema, RecentEventsSchema, TopErrorsSchema } from './schemas.js'

const TAGS = ['metrics']
// Caches must keep the two exposition formats apart.
const VARY = { vary: 'Accept' }

/** The GET routes of a metrics instance, relative to the mount prefix. */
export function createMetricsRoutes (metrics: ErrorMetrics, options: { dashboard: boolean }): PortRoute[] {
  const routes: PortRoute[] = [
    {
      path: '/metrics',
      schema: { summary: 'Prometheus metrics', description: 'Prometheus text exposition (format 0.0.4) of the error counters; OpenMetrics text with trace id exemplars when `Accept` prefers application/openmetrics-text.', tags: TAGS, produces: [metrics.registry.contentType, OPENMETRICS_CONTENT_TYPE].map(type => type.replace(/; ?charset=[^;]*$/i, '')) },
      handle: async ({ headers }) => {
        if (wantsOpenMetrics(headers?.accept)) return { contentType: OPENMETRICS_CONTENT_TYPE, headers: VARY, body: await metrics.metrics('openmetrics') }
        return { contentType: metrics.registry.contentType, headers: VARY, body: await metrics.metrics() }
      }
    },
    {
      path: '/api/metrics/summary',
      schema: { summary: 'Error summary', description: 'Totals by code, name and status, and the time buckets: of every instance through Prometheus with the `fleet` option, else of this instance (`view` says which).', tags: TAGS, response: { 200: MetricsSummarySchema } },
      handle: async () => json(metrics.fleet === undefined ? metrics.summary() : await metrics.fleet.summary())
    },
    {
      path: '/api/metrics/recent',
      schema: { summary: 'Recent errors', description: 'The most recent errors of this instance, newest first, with messages and details masked.', tags: TAGS, querystring: LimitQuerySchema, response: { 200: RecentEventsSchema } },
      handle: ({ query }) => {
        const events = metrics.recent(limitOf(query, 100))
        return json({ count: events.length, events, view: metrics.view() })
      }
    },
    {
      path: '/api/metrics/by-code/:code',
      schema: { summary: 'Errors of one code', description: 'Totals, statuses and time series of one code (number or name), of the fleet or this instance (`view`), and this instance\'s recent events of it.', tags: TAGS, params: CodeParamsSchema, response: { 200: CodeDetailSchema }, errors: [builtinErrors.NOT_FOUND] },
      handle: async ({ params }) => {
        const detail = metrics.fleet === undefined ? metrics.byCode(params.code) : await metrics.fleet.byCode(params.code)
        // The mounting framework formats this like any other error (NOT_FOUND, 404).
        if (detail === undefined) throw builtinErrors.NOT_FOUND.create()
        return json(detail)
      }
    },
    {
      path: '/api/metrics/top-errors',
      schema: { summary: 'Most frequent errors', description: 'The most frequent codes, most frequent first, of the fleet or this instance (`view`).', tags: TAGS, querystring: LimitQuerySchema, response: { 200: TopErrorsSchema } },
      handle: async ({ query }) => {
        const limit = limitOf(query, 10)
        return json(metrics.fleet === undefined ? { errors: metrics.top(limit), view: metrics.view() } : await metrics.fleet.top(limit))
      }
    }
  ]
  if (options.dashboard) {
    const page = dashboardHtml({ bucketSeconds: metrics.bucketSeconds })
    routes.push({
      path: '/api/metrics/dashboard',
      schema: { summary: 'Error dashboard', description: 'A self-contained HTML page charting this instance\'s errors; it polls the JSON routes.', tags: TAGS, produces: ['text/html'] },
      handle: () => ({ contentType: 'text/html; charset=utf-8', body: page })
    })
  }
  return routes
}

function json (body: object): { contentType: string, body: object } {
  return { contentType: 'application/json; charset=utf-8', body }
}

function limitOf (query: Readonly<Record<string, unknown>>, fallback: number): number {
  const limit = query.limit
  return typeof limit === 'number' && Number.isInteger(limit) && limit >= 1 && limit <= 1000 ? limit : fallback
}
