import { Type, defineDomain, defineErrors } from '@errcodes/core'
import { config } from './config.js'

/** Payments own 600–699, a domain of this service. */
export const PAYMENT = defineDomain('PAYMENT', [600, 699])

/** Every error the demo API can answer, besides the built-ins; the preset decides which capture a stack and how params are checked. */
export const errors = defineErrors({
  USER_NOT_FOUND: {
    code: 301,
    domain: 'RESOURCE',
    status: 404,
    message: 'User {userId} not found',
    params: Type.Object({ userId: Type.String() }),
    description: 'No user has this id.'
  },
  EMAIL_TAKEN: {
    code: 302,
    domain: 'RESOURCE',
    status: 409,
    message: 'Email {email} is already in use',
    params: Type.Object({ email: Type.String() }),
    description: 'Another user registered this email address.'
  },
  ORDER_NOT_FOUND: {
    code: 310,
    domain: 'RESOURCE',
    status: 404,
    message: 'Order {orderId} not found',
    params: Type.Object({ orderId: Type.String() })
  },
  TOKEN_EXPIRED: {
    code: 203,
    domain: 'AUTH',
    status: 401,
    message: 'Your session has expired, sign in again',
    headers: { 'www-authenticate': 'Bearer error="invalid_token"' }
  },
  CARD_DECLINED: {
    code: 601,
    domain: PAYMENT,
    status: 402,
    message: 'Card declined: {reason}',
    params: Type.Object({ reason: Type.String({ examples: ['insufficient funds'] }) }),
    detail: Type.Object({ attempts: Type.Integer({ minimum: 1 }) }),
    severity: 'medium',
    description: 'The payment provider declined the card.'
  },
  PAYMENT_PROVIDER_DOWN: {
    code: 650,
    domain: PAYMENT,
    status: 503,
    message: 'The payment provider is unavailable, retry in {seconds} seconds',
    params: Type.Object({ seconds: Type.Integer() }),
    retryAfter: 30,
    expose: true,
    severity: 'high',
    description: 'Retryable: the provider is down; `Retry-After` says when to retry.'
  },
  QUOTA_EXCEEDED: {
    code: 902,
    domain: 'CUSTOM',
    status: 429,
    message: '{count, plural, one {You may place # order per day} other {You may place # orders per day}}',
    params: Type.Object({ count: Type.Integer() }),
    retryAfter: 3600
  }
}, { stackTraces: config.stackTraces, check: config.check })
