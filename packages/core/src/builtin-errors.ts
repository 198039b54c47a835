import { defineErrors } from './catalog.js'

/**
 * Entries for what frameworks raise themselves. They sit at the top of each predefined domain
 * (x90–x99) so that user codes below never collide; a user entry with the same name overrides one.
 */
export const builtinErrors = defineErrors({
  UNAUTHENTICATED: { code: 290, domain: 'AUTH', status: 401, message: 'Authentication required', description: 'The request has no valid credentials.' },
  FORBIDDEN: { code: 291, domain: 'AUTH', status: 403, message: 'Access denied', description: 'The credentials do not allow this operation.' },
  RATE_LIMITED: { code: 299, domain: 'AUTH', status: 429, message: 'Too many requests, retry later', severity: 'medium', retryAfter: 60, description: 'The client sent too many requests; `Retry-After` says when to try again.' },
  NOT_FOUND: { code: 390, domain: 'RESOURCE', status: 404, message: 'Resource not found', description: 'The requested resource does not exist.' },
  ROUTE_NOT_FOUND: { code: 391, domain: 'RESOURCE', status: 404, message: 'Route not found', description: 'No route matches the method and path.' },
  METHOD_NOT_ALLOWED: { code: 392, domain: 'RESOURCE', status: 405, message: 'Method not allowed', description: 'The route exists but not for this method.' },
  CONFLICT: { code: 393, domain: 'RESOURCE', status: 409, message: 'Conflict with the current state of the resource', description: 'The request conflicts with the current state of the resource.' },
  BAD_REQUEST: { code: 490, domain: 'VALIDATION', status: 400, message: 'Bad request', description: 'The request is invalid.' },
  VALIDATION_FAILED: { code: 491, domain: 'VALIDATION', status: 400, message: 'Validation failed', description: 'Some part of the request does not match its schema; `errors` lists each problem.' },
  MALFORMED_BODY: { code: 492, domain: 'VALIDATION', status: 400, message: 'Malformed request body', description: 'The body could not be parsed (invalid or empty JSON, bad Content-Length).' },
  PAYLOAD_TOO_LARGE: { code: 493, domain: 'VALIDATION', status: 413, message: 'Request body too large', description: 'The body exceeds the size the server accepts.' },
  UNSUPPORTED_MEDIA_TYPE: { code: 494, domain: 'VALIDATION', status: 415, message: 'Unsupported media type', description: 'The Content-Type of the body is not supported by this route.' },
  INTERNAL_ERROR: { code: 590, domain: 'SERVER', status: 500, message: 'Internal server error', severity: 'high', description: 'An unexpected fault; details go to the logs, never to the client.' },
  SERVICE_UNAVAILABLE: { code: 591, domain: 'SERVER', status: 503, message: 'Service temporarily unavailable', severity: 'high', retryAfter: 30, expose: true, description: 'The service cannot answer now (overload, maintenance, shutting down).' },
  BAD_GATEWAY: { code: 592, domain: 'SERVER', status: 502, message: 'Bad gateway', severity: 'high', expose: true, description: 'An upstream service answered with an invalid response.' },
  GATEWAY_TIMEOUT: { code: 593, domain: 'SERVER', status: 504, message: 'Gateway timeout', severity: 'high', expose: true, description: 'An upstream service did not answer in time.' }
})

/** Names of the built-in entries. */
export type BuiltinName = keyof typeof builtinErrors & string
