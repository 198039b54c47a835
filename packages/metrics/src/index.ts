export { ErrorMetrics, createMetrics } from './create-metrics.js'
export { resolveMetricsOptions } from './metrics-options.js'
export type { MetricsOptions, ResolvedMetricsOptions } from './metrics-options.js'
export { MAX_ROUTES, MAX_SERIES, OTHER, UNKNOWN_ROUTE } from './error-counter.js'
export { createMetricsRoutes } from './metrics-routes.js'
export { createMetricsHandler, handleMetricsRequest } from './metrics-handler.js'
export type { MetricsHandler, MetricsHandlerOptions } from './metrics-handler.js'
export { dashboardHtml } from './dashboard-page.js'
export { FleetView } from './fleet-view.js'
export type { FleetLogger, FleetOptions, ResolvedFleetOptions } from './fleet-options.js'
export { PrometheusQueryError } from './prometheus-client.js'
export { OPENMETRICS_CONTENT_TYPE, openMetricsText, wantsOpenMetrics } from './open-metrics.js'
export { scrubEvent } from './sentry-reporter.js'
export type { SentryClientLike, SentryEventLike, SentryOptions } from './sentry-reporter.js'
export {
  CodeDetailSchema, CodeParamsSchema, CodeStatsSchema, ErrorEventSchema, LimitQuerySchema, MetricsBucketSchema,
  MetricsSummarySchema, MetricsViewSchema, RecentEventsSchema, TopErrorsSchema
} from './schemas.js'
export type { CodeDetail, CodeStats, ErrorEventView, MetricsSummary, MetricsView, RecentEvents, TopErrors } from './schemas.js'
