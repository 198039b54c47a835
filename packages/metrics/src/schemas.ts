import { Type, type Static } from '@sinclair/typebox'

// Response schemas of the /api/metrics/* routes. Exported so that the OpenAPI document, the fastify
// plugin and clients share one definition (they may later move to @errcodes/core).

const DateTime = Type.String({ format: 'date-time' })
const Counts = Type.Record(Type.String(), Type.Integer({ minimum: 0 }))

/** Query of `/api/metrics/recent` and `/api/metrics/top-errors`. */
export const LimitQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'How many items to return (1–1000)' }))
})

/** Params of `/api/metrics/by-code/:code`: a numeric code, an error name or `_OTHER`. */
export const CodeParamsSchema = Type.Object({
  code: Type.String({ pattern: '^(?:[0-9]{1,4}|[A-Z][A-Z0-9_]{0,63}|_OTHER)$', maxLength: 64, description: 'Numeric error code (301) or error name (USER_NOT_FOUND)' })
})

/**
 * Which data an answer shows and when it was read: the whole fleet through Prometheus, or this
 * instance's memory (always for recent events; for the rest when no Prometheus is configured or it
 * could not answer, and then `notice` says why).
 */
export const MetricsViewSchema = Type.Object({
  source: Type.Union([Type.Literal('fleet'), Type.Literal('instance')]),
  label: Type.String({ description: '"fleet: N instances" or "this instance"' }),
  instances: Type.Integer({ minimum: 0, description: 'Instances whose counters the answer sums (1 for this instance)' }),
  read_at: DateTime,
  notice: Type.Union([Type.String(), Type.Null()], { description: 'Why the fleet view is not shown, when one is configured' })
}, { title: 'MetricsView', additionalProperties: false })

/** One time bucket of the in-memory collector: error counts by error name. */
export const MetricsBucketSchema = Type.Object({
  start: DateTime,
  total: Type.Integer({ minimum: 0 }),
  counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Errors by error name in this bucket' })
}, { title: 'MetricsBucket', additionalProperties: false })

/** One recorded error as the collector shows it (message, detail and path masked). */
export const ErrorEventSchema = Type.Object({
  event_id: Type.String(),
  error_code: Type.Union([Type.Integer({ minimum: 0, maximum: 9999 }), Type.Null()]),
  error_name: Type.String({ description: 'The error name, `_OTHER` when unreadable' }),
  known: Type.Boolean({ description: 'Whether the code belongs to the catalog' }),
  domain: Type.String(),
  status_code: Type.Union([Type.Integer({ minimum: 100, maximum: 599 }), Type.Null()]),
  message: Type.String({ description: 'Masked message' }),
  detail: Type.Optional(Type.Unknown({ description: 'Masked detail' })),
  method: Type.Union([Type.String(), Type.Null()]),
  route: Type.Union([Type.String(), Type.Null()]),
  path: Type.Union([Type.String(), Type.Null()]),
  request_id: Type.Union([Type.String(), Type.Null()]),
  trace_id: Type.Union([Type.String(), Type.Null()]),
  timestamp: DateTime
}, { title: 'ErrorEvent', additionalProperties: false })

/** `GET /api/metrics/summary`. */
export const MetricsSummarySchema = Type.Object({
  total_errors: Type.Integer({ minimum: 0, description: 'Errors recorded since start (or reset)' }),
  error_counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Errors by numeric code (`_OTHER` for codes outside the catalog)' }),
  name_counts: Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description: 'Errors by error name' }),
  status_counts: Counts,
  bucket_seconds: Type.Integer({ minimum: 1 }),
  bucket_count: Type.Integer({ minimum: 0 }),
  buckets: Type.Array(MetricsBucketSchema, { description: 'Oldest first; the chart data' }),
  started_at: DateTime,
  timestamp: DateTime,
  totals_window_seconds: Type.Union([Type.Integer({ minimum: 1 }), Type.Null()], { description: 'The totals count the errors of this many seconds before `timestamp` (the chart\'s window, in the fleet view); null: since `started_at`' }),
  view: MetricsViewSchema
}, { $id: 'ErrcodesMetricsSummary', title: 'MetricsSummary', additionalProperties: false })

/** `GET /api/metrics/recent`. */
export const RecentEventsSchema = Type.Object({
  count: Type.Integer({ minimum: 0 }),
  events: Type.Array(ErrorEventSchema, { description: 'Newest first' }),
  view: MetricsViewSchema
}, { $id: 'ErrcodesRecentEvents', title: 'RecentEvents', additionalProperties: false })

/** One row of `GET /api/metrics/top-errors`, and the head of `by-code`. */
export const CodeStatsSchema = Type.Object({
  error_code: Type.Union([Type.Integer({ minimum: 0, maximum: 9999 }), Type.Null()]),
  error_name: Type.String(),
  domain: Type.String(),
  count: Type.Integer({ minimum: 0 }),
  status_counts: Counts,
  first_seen: Type.Union([DateTime, Type.Null()]),
  last_seen: Type.Union([DateTime, Type.Null()])
}, { title: 'CodeStats', additionalProperties: false })

/** `GET /api/metrics/top-errors`. */
export const TopErrorsSchema = Type.Object({
  errors: Type.Array(CodeStatsSchema, { description: 'Most frequent first' }),
  view: MetricsViewSchema
}, { $id: 'ErrcodesTopErrors', title: 'TopErrors', additionalProperties: false })

/** `GET /api/metrics/by-code/:code`. */
export const CodeDetailSchema = Type.Object({
  ...CodeStatsSchema.properties,
  buckets: Type.Array(Type.Object({ start: DateTime, count: Type.Integer({ minimum: 0 }) }, { additionalProperties: false }), { description: 'Oldest first' }),
  recent: Type.Array(ErrorEventSchema, { description: 'Newest first, at most 20, of this instance' }),
  /** Whose `recent` events these are: always this instance, also when `view` is the fleet. */
  recent_view: MetricsViewSchema,
  view: MetricsViewSchema
}, { $id: 'ErrcodesCodeDetail', title: 'CodeDetail', additionalProperties: false })

/** The view an answer shows. */
export type MetricsView = Static<typeof MetricsViewSchema>
/** A recorded event as returned by the JSON routes. */
export type ErrorEventView = Static<typeof ErrorEventSchema>
/** The summary body. */
export type MetricsSummary = Static<typeof MetricsSummarySchema>
/** One code's statistics. */
export type CodeStats = Static<typeof CodeStatsSchema>
/** The by-code body. */
export type CodeDetail = Static<typeof CodeDetailSchema>
/** The recent-events body. */
export type RecentEvents = Static<typeof RecentEventsSchema>
/** The top-errors body. */
export type TopErrors = Static<typeof TopErrorsSchema>
