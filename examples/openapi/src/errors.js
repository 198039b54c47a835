import { Type, defineDomain, defineErrors } from '@errcodes/core'

/** Billing owns 700–799. */
export const BILLING = defineDomain('BILLING', [700, 799])

/** The catalog whose reference this example publishes. */
export const errors = defineErrors({
  INVOICE_NOT_FOUND: {
    code: 330,
    domain: 'RESOURCE',
    status: 404,
    message: 'Invoice {invoiceId} not found',
    params: Type.Object({ invoiceId: Type.String() }),
    description: 'No invoice has this id, or it belongs to another account.'
  },
  INVOICE_ALREADY_PAID: {
    code: 701,
    domain: BILLING,
    status: 409,
    message: 'Invoice {invoiceId} is already paid',
    params: Type.Object({ invoiceId: Type.String() }),
    detail: Type.Object({ paidAt: Type.String({ format: 'date-time' }) }),
    description: 'Paying twice is refused; `detail.paidAt` says when it was paid.'
  },
  BILLING_SUSPENDED: {
    code: 702,
    domain: BILLING,
    status: 403,
    message: 'Billing is suspended for this account',
    severity: 'medium',
    deprecated: 'use FORBIDDEN',
    description: 'Kept for old clients.'
  }
})
