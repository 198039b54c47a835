// `@errcodes/core/internal`: helpers the @errcodes packages share with each other. Documented in the
// README's "Internal" section; not part of the public API and not covered by semver.
export { closestKey, rejectUnknownKeys } from './option-keys.js'
export { isSentryDsn } from './sentry-dsn.js'
export { retryAfterSeconds } from './normalize-error.js'
