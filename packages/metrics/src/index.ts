export { createMetrics } from './create-metrics.js'
export type { ErrorMetrics } from './create-metrics.js'
export type { MetricsOptions, ResolvedMetricsOptions } from './options.js'
export { MAX_ROUTES, MAX_SERIES, OTHER, UNKNOWN_ROUTE } from './error-counter.js'
export { createMetricsHandler, handleMetricsRequest } from './metrics-handler.js'
export type { MetricsHandler, MetricsHandlerOptions } from './metrics-handler.js'
export type { FleetView } from './fleet-view.js'
export type { FleetLogger, FleetOptions, ResolvedFleetOptions } from './fleet-options.js'
export { OPENMETRICS_CONTENT_TYPE, openMetricsText } from './open-metrics.js'
export { scrubEvent } from './sentry-scrub.js'
export type { SentryEventLike } from './sentry-scrub.js'
export { MAX_RATE_KEYS } from './sentry-rate-limit.js'
export type { SentryClientLike, SentryOptions, SentryRateLimit } from './sentry-options.js'
export type { SentryStats } from './sentry-reporter.js'
export {
  CodeDetailSchema, CodeParamsSchema, CodeStatsSchema, ErrorEventSchema, LimitQuerySchema, MetricsBucketSchema,
  MetricsSummarySchema, MetricsViewSchema, RecentEventsSchema, TopErrorsSchema
} from './schemas.js'
export type { CodeDetail, CodeStats, ErrorEventView, MetricsSummary, MetricsView, RecentEvents, TopErrors } from './schemas.js'
