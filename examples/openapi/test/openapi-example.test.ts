import t from 'tap'
import { readFileSync } from 'node:fs'
import { Validator } from '@seriousme/openapi-schema-validator'
import { generate } from '../src/generate.js'

t.test('the example writes a valid OpenAPI document and an error reference', async t => {
  const dir = t.testdir({})
  const files = await generate(dir)
  const document = JSON.parse(readFileSync(files.openapi, 'utf8'))
  const result = await new Validator().validate(document)
  t.same(result.errors, undefined, 'the OpenAPI validator finds no error')
  t.equal(result.valid, true)
  const names = Object.keys(document.components.schemas)
  t.ok(names.includes('Error.INVOICE_ALREADY_PAID') && names.includes('Problem.INVOICE_ALREADY_PAID'), 'a named component per code and format')
  t.notOk(names.some(n => n.startsWith('def-')), 'no def-N names')
  const pay = document.paths['/invoices/{id}/pay'].post.responses
  t.same(Object.keys(pay).sort(), ['200', '400', '403', '404', '409', '413', '415', '500'], 'a POST route: its listed codes, validation, body errors and the internal error')
  t.equal(pay['409'].content['application/json'].schema.$ref, '#/components/schemas/Error.INVOICE_ALREADY_PAID')

  const html = readFileSync(files.html, 'utf8')
  for (const name of ['INVOICE_NOT_FOUND', 'INVOICE_ALREADY_PAID', 'BILLING_SUSPENDED', 'ROUTE_NOT_FOUND']) {
    t.match(html, new RegExp(`id="${name}"`), `anchor for ${name}`)
  }
  t.match(readFileSync(files.md, 'utf8'), /INVOICE_ALREADY_PAID/)
})
