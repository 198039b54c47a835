import { builtinErrors, type PortRoute } from '@errcodes/core'
import type { ErrorMetrics } from './create-metrics.js'
import { dashboardHtml } from './dashboard-page.js'
import { CodeDetailSchema, CodeParamsSchema, LimitQuerySchema, MetricsSummarySchema, RecentEventsSchema, TopErrorsSchema } from './schemas.js'

const TAGS = ['metrics']

/** The GET routes of a metrics instance, relative to the mount prefix. */
export function createMetricsRoutes (metrics: ErrorMetrics, options: { dashboard: boolean }): PortRoute[] {
  const routes: PortRoute[] = [
    {
      path: '/metrics',
      schema: { summary: 'Prometheus metrics', description: 'Prometheus text exposition (format 0.0.4) of the error counters.', tags: TAGS },
      handle: async () => ({ contentType: metrics.registry.contentType, body: await metrics.metrics() })
    },
    {
      path: '/api/metrics/summary',
      schema: { summary: 'Error summary', description: 'Totals by code, name and status, and the time buckets of this instance.', tags: TAGS, response: { 200: MetricsSummarySchema } },
      handle: () => json(metrics.summary())
    },
    {
      path: '/api/metrics/recent',
      schema: { summary: 'Recent errors', description: 'The most recent errors of this instance, newest first, with messages and details masked.', tags: TAGS, querystring: LimitQuerySchema, response: { 200: RecentEventsSchema } },
      handle: ({ query }) => {
        const events = metrics.recent(limitOf(query, 100))
        return json({ count: events.length, events })
      }
    },
    {
      path: '/api/metrics/by-code/:code',
      schema: { summary: 'Errors of one code', description: 'Totals, statuses, time series and recent events of one code (number or name).', tags: TAGS, params: CodeParamsSchema, response: { 200: CodeDetailSchema } },
      handle: ({ params }) => {
        const detail = metrics.byCode(params.code)
        // The mounting framework formats this like any other error (NOT_FOUND, 404).
        if (detail === undefined) throw builtinErrors.NOT_FOUND.create()
        return json(detail)
      }
    },
    {
      path: '/api/metrics/top-errors',
      schema: { summary: 'Most frequent errors', description: 'The most frequent codes of this instance, most frequent first.', tags: TAGS, querystring: LimitQuerySchema, response: { 200: TopErrorsSchema } },
      handle: ({ query }) => json({ errors: metrics.top(limitOf(query, 10)) })
    }
  ]
  if (options.dashboard) {
    const page = dashboardHtml({ bucketSeconds: metrics.bucketSeconds })
    routes.push({
      path: '/api/metrics/dashboard',
      schema: { summary: 'Error dashboard', description: 'A self-contained HTML page charting this instance\'s errors; it polls the JSON routes.', tags: TAGS },
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
