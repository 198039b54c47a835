import t from 'tap'
import { argumentsOf, compileMessage, createFormatters, parseMessage } from '../src/compile-message.js'

const f = createFormatters()
const render = (source: string, params?: Record<string, unknown>, locale = 'en'): string | undefined => compileMessage(source, locale, f).format(params)

t.test('plural and select, per locale rules', async (t) => {
  const cart = '{count, plural, =0 {empty} one {# item} other {# items}}'
  t.equal(render(cart, { count: 0 }), 'empty')
  t.equal(render(cart, { count: 1 }), '1 item')
  t.equal(render(cart, { count: 1234 }), '1,234 items')
  t.equal(render(cart, { count: 2 }, 'de'), '2 items')
  t.equal(render('{n, plural, one {# fichier} other {# fichiers}}', { n: 0 }, 'fr'), '0 fichier', 'French 0 is singular')
  const owner = '{g, select, female {Her} male {His} other {Their}} cart'
  t.equal(render(owner, { g: 'female' }), 'Her cart')
  t.equal(render(owner, { g: 'nobody' }), 'Their cart')
  t.equal(render(owner, {}), 'Their cart', 'a missing select value takes other')
  t.equal(render('{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}', { n: 22 }), '22nd')
  t.equal(render('{n, number} / {d, date, short}', { n: 1000, d: Date.UTC(2026, 0, 16) }), '1,000 / 1/16/26')
})

t.test('an argument read as a date and as plain text renders as a date in both places', async (t) => {
  const noon = Date.UTC(2026, 0, 16, 12)
  t.equal(render('{d, date, short} (since {d})', { d: noon }), '1/16/26 (since 1/16/2026)')
  t.equal(render('{n, plural, one {once, on {d}} other {# times, last {d}}} {d, date, medium}', { n: 2, d: noon }), '2 times, last 1/16/2026 Jan 16, 2026')
  t.same(Object.fromEntries(argumentsOf(parseMessage('{d} {d, number} {d, date}'))), { d: 'date' }, 'a date use wins over number and text uses')
})

t.test('a message Intl refuses at render time, and a date param behind a throwing Proxy, render nothing', async (t) => {
  t.equal(render('Pay {n, number, ::currency/ABCD}', { n: 3 }), undefined, 'an invalid currency code throws inside Intl')
  t.equal(render('Pay {n, number, ::currency/EUR}', { n: 3 }), 'Pay €3.00')
  const trap = new Proxy({}, { getPrototypeOf () { throw new Error('trap') } })
  t.equal(render('Since {d, date}', { d: trap }), undefined)
  t.equal(render('Since {d}', { d: trap }), 'Since [object]', 'as text it shows that something was there')
})

t.test('argument names and kinds are read from the AST, branches included', async (t) => {
  t.same(Object.fromEntries(argumentsOf(parseMessage('{a} {n, plural, other {{b} #}} {s, select, x {{d, date}} other {}}'))),
    { a: 'text', n: 'number', s: 'text', b: 'text', d: 'date' })
  t.same(Object.fromEntries(argumentsOf(parseMessage('{n} {n, number}'))), { n: 'number' })
})

t.test('patterns from files: bad syntax throws at compile time, quoting and tags are text', async (t) => {
  for (const bad of ['Hi {name', '{n, foo}', '{n, plural, one {# item}}', '{n, select, a {x}}', '{}', '{a b}']) {
    t.throws(() => compileMessage(bad, 'en', f), SyntaxError, bad)
  }
  t.equal(render("Don't"), "Don't")
  t.equal(render("'{'literal'}' {x}", { x: 1 }), '{literal} 1')
  t.equal(render("it''s {x}", { x: 'y' }), "it's y")
  t.equal(render('<b>{name}</b>', { name: 'Ann' }), '<b>Ann</b>', 'ignoreTag: markup stays text')
  t.equal(render('Plain text'), 'Plain text')
})

t.test('param values are never re-parsed, escaped or expanded', async (t) => {
  const m = compileMessage('Hello {name}', 'en', f)
  // eslint-disable-next-line no-template-curly-in-string -- a literal ${x} is one of the hostile values
  for (const v of ['{other}', '{{x}}', '$t(k)', "'{'", '%s', '${x}', '<b>', '<script>alert(1)</script>', '\u202Eevil', 'a\u0000b']) {
    t.equal(m.format({ name: v }), `Hello ${v}`, JSON.stringify(v))
  }
  const huge = m.format({ name: 'x'.repeat(1_000_000) }) as string
  t.ok(huge.length < 1100, 'a 1 MB string is capped')
  t.ok(huge.endsWith('…'))
})

t.test('hostile value types always render a string or nothing, never throw', async (t) => {
  const m = compileMessage('v={v}', 'en', f)
  const throwing = { toString () { throw new Error('toString') }, get x () { throw new Error('get') } }
  const proxy = new Proxy({}, { get () { throw new Error('trap') }, getPrototypeOf () { throw new Error('trap') } })
  const cases: Array<[unknown, string]> = [
    [{ a: 1 }, 'v=[object]'], [[1, 'a', { x: 1 }, null], 'v=1, a'], [null, 'v={v}'], [undefined, 'v={v}'],
    [10n ** 30n, 'v=1000000000000000000000000000000'], [Symbol('s'), 'v=[symbol]'], [() => 1, 'v=[function]'],
    [new Date(NaN), 'v=Invalid Date'], [new Date(0), 'v=1970-01-01T00:00:00.000Z'], [NaN, 'v=NaN'],
    [Infinity, 'v=Infinity'], [-Infinity, 'v=-Infinity'], [true, 'v=true'], [throwing, 'v=[object]'], [proxy, 'v=[object]'],
    [Array.from({ length: 100 }, (_, i) => i), 'v=0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, …']
  ]
  for (const [value, expected] of cases) t.equal(m.format({ v: value }), expected, String(typeof value))
  const plural = compileMessage('{n, plural, one {# thing} other {# things}}', 'en', f)
  t.equal(plural.format({ n: 'abc' }), 'NaN things', 'a non-number in a plural is NaN, not a throw')
  t.equal(plural.format({ n: 5n }), '5 things')
  t.equal(plural.format({ n: '3' }), '3 things')
  t.equal(plural.format({}), undefined, 'a missing plural value cannot render: the caller falls back')
  t.equal(plural.format({ n: {} }), undefined)
  t.equal(compileMessage('{d, date}', 'en', f).format({ d: new Date(NaN) }), undefined)
  t.equal(compileMessage('{d, date}', 'en', f).format({ d: 'x' }), undefined)
  t.equal(m.format(proxy as never), 'v={v}', 'a params Proxy that throws is treated as no params')
  t.equal(m.format('str' as never), 'v={v}')
})

t.test('placeholder names that live on Object.prototype', async (t) => {
  for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf']) {
    const m = compileMessage(`Hi {${name}}`, 'en', f)
    t.equal(m.format({}), `Hi {${name}}`, `${name} missing: no prototype member`)
    t.equal(m.format(undefined), `Hi {${name}}`)
    const params = JSON.parse(`{"${name}":"Ann"}`) as Record<string, unknown>
    t.equal(m.format(params), 'Hi Ann', `${name} given as an own property`)
  }
  const inherited = Object.create({ name: 'inherited' }) as Record<string, unknown>
  t.equal(compileMessage('Hi {name}', 'en', f).format(inherited), 'Hi {name}', 'inherited values are ignored')
})

t.test('missing and extra params', async (t) => {
  const m = compileMessage('{a} and {b}', 'en', f)
  t.equal(m.format({ a: 1 }), '1 and {b}')
  t.equal(m.format({ a: 1, b: 2, c: 3, d: { deep: true } }), '1 and 2')
})
