import { Type, defineDomain, defineErrors } from '@errcodes/core'

/** Orders live in their own domain, 600–699. */
export const ORDERS = defineDomain('ORDERS', [600, 699])

/** The service's catalog: one place for every error it can answer. */
export const errors = defineErrors({
  ORDER_NOT_FOUND: {
    code: 601,
    domain: ORDERS,
    status: 404,
    message: 'Order {orderId} not found',
    params: Type.Object({ orderId: Type.String() }),
    description: 'No order has this id.'
  },
  ORDER_LOCKED: {
    code: 602,
    domain: ORDERS,
    status: 409,
    message: 'Order {orderId} is being processed, retry in {seconds} seconds',
    params: Type.Object({ orderId: Type.String(), seconds: Type.Integer() }),
    detail: Type.Object({ lockedBy: Type.String() }),
    retryAfter: 5
  }
})
