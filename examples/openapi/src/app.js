import Fastify from 'fastify'
import swagger from '@fastify/swagger'
import { Type } from '@errcodes/core'
import errorCodes, { errcodesRefResolver, errcodesTransformObject } from '@errcodes/fastify'
import { errors } from './errors.js'

/** The problem `type` base: the anchors of the generated error reference. */
export const typeBaseUrl = 'https://docs.example.com/errors.html#'

const Invoice = Type.Object({ id: Type.String(), total: Type.Number() })

/** The billing API whose document and error reference this example publishes. */
export async function buildApp () {
  const app = Fastify()
  await app.register(swagger, { openapi: { info: { title: 'Billing API', version: '1.0.0' } }, refResolver: errcodesRefResolver, transformObject: errcodesTransformObject })
  await app.register(errorCodes, { catalog: errors, typeBaseUrl })
  const invoices = new Map([['1', { id: '1', total: 10, paidAt: undefined }], ['2', { id: '2', total: 20, paidAt: '2026-01-16T10:00:00.000Z' }]])
  const suspended = new Set(['3'])

  app.get('/invoices/:id', { schema: { params: Type.Object({ id: Type.String() }), response: { 200: Invoice } }, errors: [errors.INVOICE_NOT_FOUND] }, async (request) => {
    const invoice = invoices.get(request.params.id)
    if (invoice === undefined) throw errors.INVOICE_NOT_FOUND.create({ invoiceId: request.params.id })
    return invoice
  })
  app.post('/invoices/:id/pay', {
    schema: { params: Type.Object({ id: Type.String() }), response: { 200: Type.Object({ paid: Type.Boolean() }) } },
    errors: [errors.INVOICE_NOT_FOUND, errors.INVOICE_ALREADY_PAID, errors.BILLING_SUSPENDED]
  }, async (request) => {
    const { id } = request.params
    if (suspended.has(id)) throw errors.BILLING_SUSPENDED.create()
    const invoice = invoices.get(id)
    if (invoice === undefined) throw errors.INVOICE_NOT_FOUND.create({ invoiceId: id })
    if (invoice.paidAt !== undefined) throw errors.INVOICE_ALREADY_PAID.create({ invoiceId: id }, { detail: { paidAt: invoice.paidAt } })
    invoice.paidAt = new Date().toISOString()
    return { paid: true }
  })
  return app
}
