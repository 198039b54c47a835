import Fastify from 'fastify'
import { Type, defineErrors } from '@errcodes/core'
import errorCodes from '@errcodes/fastify'
import { createMetrics } from '@errcodes/metrics'

/** The catalog of this small inventory service. */
export const errors = defineErrors({
  ITEM_NOT_FOUND: { code: 320, domain: 'RESOURCE', status: 404, message: 'Item {sku} not found', params: Type.Object({ sku: Type.String() }) },
  OUT_OF_STOCK: { code: 921, domain: 'CUSTOM', status: 409, message: 'Item {sku} is out of stock', params: Type.Object({ sku: Type.String() }) }
})

/** Fastify + @errcodes with metrics only: English messages, no spans, counters and dashboard on. */
export async function buildApp () {
  const app = Fastify()
  await app.register(errorCodes, { catalog: errors, metrics: createMetrics() })
  app.get('/items/:sku', { errors: [errors.ITEM_NOT_FOUND, errors.OUT_OF_STOCK] }, async (request) => {
    const { sku } = request.params
    if (sku === 'empty') throw errors.OUT_OF_STOCK.create({ sku })
    if (sku !== 'apple') throw errors.ITEM_NOT_FOUND.create({ sku })
    return { sku, stock: 3 }
  })
  return app
}
