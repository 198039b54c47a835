import t from 'tap'
import { AUTH, CUSTOM, DomainRegistry, RESOURCE, SERVER, VALIDATION, defineDomain, domainOf, isCode, predefinedDomains } from '../src/domain.js'

t.test('predefined domains match the seed ranges', async t => {
  t.same(predefinedDomains.map(d => [d.name, d.from, d.to]), [
    ['AUTH', 200, 299], ['RESOURCE', 300, 399], ['VALIDATION', 400, 499], ['SERVER', 500, 599], ['CUSTOM', 900, 999]
  ])
  t.equal(predefinedDomains[0], AUTH)
  t.equal(predefinedDomains[4], CUSTOM)
  t.ok(Object.isFrozen(predefinedDomains))
  for (const d of [AUTH, RESOURCE, VALIDATION, SERVER, CUSTOM]) t.ok(Object.isFrozen(d), `${d.name} is frozen`)
})

t.test('domainOf finds the predefined domain of a code', async t => {
  t.equal(domainOf(200), AUTH)
  t.equal(domainOf(299), AUTH)
  t.equal(domainOf(301), RESOURCE)
  t.equal(domainOf(450), VALIDATION)
  t.equal(domainOf(599), SERVER)
  t.equal(domainOf(999), CUSTOM)
  t.equal(domainOf(199), undefined)
  t.equal(domainOf(600), undefined)
  t.equal(domainOf(NaN), undefined)
  t.equal(domainOf(-1), undefined)
})

t.test('isCode accepts integers 0–9999 only', async t => {
  for (const ok of [0, 1, 9999, 301]) t.equal(isCode(ok), true, String(ok))
  for (const bad of [-1, 10000, 1.5, NaN, Infinity, '301', null, undefined, 301n]) t.equal(isCode(bad), false, String(bad))
})

t.test('defineDomain returns a frozen domain', async t => {
  const d = defineDomain('PAYMENT', [600, 699])
  t.same(d, { name: 'PAYMENT', from: 600, to: 699 })
  t.ok(Object.isFrozen(d))
  t.same(defineDomain('ONE', [700, 700]), { name: 'ONE', from: 700, to: 700 }, 'one-code range')
})

t.test('defineDomain rejects bad input with a message naming the mistake', async t => {
  const cases: Array<[unknown, unknown, RegExp, ErrorConstructor]> = [
    ['payment', [600, 699], /defineDomain: name must be UPPER_SNAKE \(got "payment"\)/, TypeError],
    ['', [600, 699], /name must be UPPER_SNAKE/, TypeError],
    ['1PAY', [600, 699], /name must be UPPER_SNAKE/, TypeError],
    ['PAY-MENT', [600, 699], /name must be UPPER_SNAKE/, TypeError],
    [42, [600, 699], /name must be UPPER_SNAKE \(got number\)/, TypeError],
    ['A'.repeat(64), [600, 699], /name must be UPPER_SNAKE/, TypeError],
    ['PAYMENT', [600], /defineDomain\(PAYMENT\): range must be a \[from, to\] pair/, TypeError],
    ['PAYMENT', '600-699', /range must be a \[from, to\] pair/, TypeError],
    ['PAYMENT', [600, 699, 700], /range must be a \[from, to\] pair/, TypeError],
    ['PAYMENT', [699, 600], /defineDomain\(PAYMENT\): range must be integers 0–9999 with from <= to \(got \[699, 600\]\)/, RangeError],
    ['PAYMENT', [-1, 10], /range must be integers/, RangeError],
    ['PAYMENT', [9000, 10000], /range must be integers/, RangeError],
    ['PAYMENT', [1.5, 10], /range must be integers/, RangeError],
    ['PAYMENT', [NaN, 10], /range must be integers/, RangeError],
    ['PAYMENT', ['600', '699'], /range must be integers/, RangeError]
  ]
  for (const [name, range, message, type] of cases) {
    t.throws(() => defineDomain(name as string, range as [number, number]), { name: type.name, message }, `${String(name).slice(0, 10)} ${JSON.stringify(range)}`)
  }
})

t.test('DomainRegistry rejects overlaps and renames, looks up by code', async t => {
  const reg = new DomainRegistry()
  t.same(reg.list().map(d => d.name), ['AUTH', 'RESOURCE', 'VALIDATION', 'SERVER', 'CUSTOM'])
  const payment = reg.add(defineDomain('PAYMENT', [600, 699]))
  t.equal(reg.get('PAYMENT'), payment)
  t.equal(reg.domainOf(650), payment)
  t.equal(reg.domainOf(301), RESOURCE)
  t.equal(reg.domainOf(800), undefined)
  t.equal(reg.get('NOPE'), undefined)
  t.same(reg.list().map(d => d.name), ['AUTH', 'RESOURCE', 'VALIDATION', 'SERVER', 'PAYMENT', 'CUSTOM'], 'ordered by range')
  t.equal(reg.add(defineDomain('PAYMENT', [600, 699])), payment, 'the same domain again is a no-op')
  t.throws(() => reg.add(defineDomain('PAYMENT', [700, 799])), { name: 'RangeError', message: 'domain PAYMENT is already defined as 600–699' })
  t.throws(() => reg.add(defineDomain('BILLING', [650, 750])), { name: 'RangeError', message: 'domain BILLING (650–750) overlaps PAYMENT (600–699)' })
  t.throws(() => reg.add(defineDomain('EDGE', [599, 599])), { message: /overlaps SERVER \(500–599\)/ }, 'touching the last code overlaps')
  t.throws(() => reg.add(defineDomain('WIDE', [0, 9999])), { message: /overlaps AUTH/ })
  t.same(reg.add(defineDomain('EDGE', [700, 700])), { name: 'EDGE', from: 700, to: 700 }, 'adjacent ranges are fine')
  const empty = new DomainRegistry([])
  t.same(empty.list(), [])
  t.equal(empty.domainOf(250), undefined)
})
