import t from 'tap'
import { MAX_PARAM_LENGTH, compileMessage, paramText, placeholdersOf, renderMessage } from '../src/message-template.js'

t.test('placeholders', async t => {
  t.same(placeholdersOf('User {userId} not found'), ['userId'])
  t.same(placeholdersOf('{a} {b} {a}'), ['a', 'b'], 'deduplicated')
  t.same(placeholdersOf('{ a } and { b , number }'), ['a', 'b'], 'spaces allowed')
  t.same(placeholdersOf('{n, plural, one {# of {owner}} other {{g, select, x {X} other {Y}}}}'), ['n', 'owner', 'g'], 'nested arguments')
  t.same(placeholdersOf("No '{args}' here"), [], 'quoted braces are text')
  t.same(placeholdersOf('Plain text'), [])
  t.equal(renderMessage('User {userId} not found', { userId: '42' }), 'User 42 not found')
  t.equal(renderMessage('{a}-{b}', { a: 1, b: true }), '1-true')
  t.equal(renderMessage('Hi {name}', {}), 'Hi {name}', 'a missing param stays visible')
  t.equal(renderMessage('Hi {name}', undefined), 'Hi {name}')
  t.equal(renderMessage('Hi {name}', { name: 'x', extra: 'ignored' }), 'Hi x', 'extra params ignored')
  t.equal(renderMessage('{n, number} at {d, date, short} {t, time}', { n: 3, d: new Date(0), t: 'noon' }), '3 at 1970-01-01T00:00:00.000Z noon', 'formatted args render plainly')
})

t.test('plural, select, # and quoting', async t => {
  const plural = compileMessage('{n, plural, =0 {no items} one {# item} other {# items}}')
  t.equal(plural({ n: 0 }), 'no items', 'exact match')
  t.equal(plural({ n: 1 }), '1 item')
  t.equal(plural({ n: 5 }), '5 items')
  t.equal(plural({ n: 1.5 }), '1.5 items')
  t.equal(plural({ n: '1' }), '1 item', 'numeric strings count')
  t.equal(plural({ n: 'many' }), 'NaN items', 'a non-number falls to other')
  t.equal(plural({}), 'NaN items', 'a missing plural argument falls to other')
  t.equal(plural({ n: Infinity }), 'Infinity items')
  const offset = compileMessage('{n, plural, offset:1 =1 {only you} one {you and # other} other {you and # others}}')
  t.equal(offset({ n: 1 }), 'only you', '=N matches the raw value')
  t.equal(offset({ n: 2 }), 'you and 1 other', 'category of n - offset')
  t.equal(offset({ n: 4 }), 'you and 3 others', '# is n - offset')
  const ordinal = compileMessage('{n, selectordinal, one {#st} two {#nd} few {#rd} other {#th}}')
  t.same([1, 2, 3, 4, 11, 21, 22, 23, 101].map(n => ordinal({ n })), ['1st', '2nd', '3rd', '4th', '11th', '21st', '22nd', '23rd', '101st'])
  const select = compileMessage('{g, select, female {She} male {He} other {They}} left')
  t.equal(select({ g: 'female' }), 'She left')
  t.equal(select({ g: 'robot' }), 'They left')
  t.equal(select({ g: '__proto__' }), 'They left', 'prototype names are not branches')
  t.equal(select({ g: 'constructor' }), 'They left')
  t.equal(select({}), 'They left')
  t.equal(renderMessage("Don't {x}", { x: 'go' }), "Don't go", 'a lone apostrophe is text')
  t.equal(renderMessage("It''s '{literal}' {x}", { x: 1 }), "It's {literal} 1", "'' and '{…}' quoting")
  t.equal(renderMessage("{n, plural, other {'#' is #}}", { n: 3 }), '# is 3', 'quoted # inside plural')
  t.equal(renderMessage("Unclosed '{quote to the end", {}), 'Unclosed {quote to the end', 'a quote left open runs to the end')
  t.equal(renderMessage('{n, plural, =0 {none} other {# left}}', { n: 1 }), '1 left', 'no =1 and no one option: other')
  t.equal(renderMessage('# {n, plural, other {{m, select, other {# in select}}}}', { n: 2, m: 'x' }), '# 2 in select', '# outside plural is text, inside nested select refers to the plural')
})

t.test('bad syntax throws SyntaxError at compile time', async t => {
  const bad = ['Hi {name', 'Hi }', '{}', '{ }', '{1x}', '{a-b}', '{n, foo}', '{n, foo, bar}', '{n, plural, one {x}}', '{n, plural, one {x} other {y}', '{n, select, other {x} ', '{n, plural, one {x} other {y} junk}', '{n, number', '{n, select, other {unclosed}', '{n, number, percent', '{n, plural, other {never closed']
  for (const template of bad) {
    t.throws(() => compileMessage(template), SyntaxError, JSON.stringify(template))
    t.throws(() => placeholdersOf(template), SyntaxError)
    t.equal(renderMessage(template, { n: 1, name: 'x' }), template, 'renderMessage falls back to the raw template')
  }
})

t.test('hostile params never throw and never expand', async t => {
  const render = compileMessage('[{x}]')
  const throwing = { toString () { throw new Error('boom') }, get y () { throw new Error('boom') } }
  const hostileProxy = new Proxy({}, { get () { throw new Error('boom') }, ownKeys () { throw new Error('boom') } })
  const cases: Array<[unknown, string]> = [
    // eslint-disable-next-line no-template-curly-in-string -- a literal ${x} is the hostile input under test
    ['{other} {{x}} $t(k) %s ${x}', '[{other} {{x}} $t(k) %s ${x}]'],
    ['<script>alert(1)</script>', '[<script>alert(1)</script>]'],
    ['\u202e\u0000', '[\u202e\u0000]'],
    [null, '[]'],
    [undefined, '[{x}]'],
    [10n, '[10]'],
    [Symbol('s'), '[[object]]'],
    [() => 'fn', '[[object]]'],
    [new Date(NaN), '[Invalid Date]'],
    [new Date(0), '[1970-01-01T00:00:00.000Z]'],
    [NaN, '[NaN]'],
    [Infinity, '[Infinity]'],
    [-Infinity, '[-Infinity]'],
    [{ a: 1 }, '[[object]]'],
    [[1, 2], '[[object]]'],
    [throwing, '[[object]]'],
    [hostileProxy, '[[object]]']
  ]
  for (const [x, expected] of cases) t.equal(render({ x }), expected, String(typeof x))
  const big = 'a'.repeat(1024 * 1024)
  const out = render({ x: big })
  t.equal(out.length, MAX_PARAM_LENGTH + 3, 'a 1 MB param is cut')
  t.equal(paramText(big).endsWith('…'), true)
  for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
    t.equal(renderMessage(`{${name}}`, {}), `{${name}}`, `{${name}} never reads Object.prototype`)
    t.equal(renderMessage(`{${name}}`, Object.create(null)), `{${name}}`)
    t.equal(renderMessage(`{${name}}`, JSON.parse(`{"${name}": "own"}`)), 'own', `own ${name} is used`)
  }
  const params = new Proxy({}, { get () { throw new Error('boom') }, has () { throw new Error('boom') }, getOwnPropertyDescriptor () { throw new Error('boom') } })
  t.equal(compileMessage('Hi {x}')(params), 'Hi {x}', 'a throwing params object renders the template')
  t.equal(renderMessage('Hi {x}', 'not an object' as never), 'Hi {x}')
  const plural = compileMessage('{n, plural, one {#} other {# items}}')
  t.equal(plural({ n: throwing }), '{n, plural, one {#} other {# items}}', 'a plural value that cannot become a number')
  t.equal(plural({ n: 10n }), '10 items')
  t.equal(plural({ n: Symbol('s') }), '{n, plural, one {#} other {# items}}')
})

t.test('paramText', async t => {
  t.equal(paramText('abc'), 'abc')
  t.equal(paramText(false), 'false')
  t.equal(paramText(undefined), '')
  t.equal(paramText(null), '')
  t.equal(paramText('x'.repeat(MAX_PARAM_LENGTH)), 'x'.repeat(MAX_PARAM_LENGTH), 'exactly the cap is kept')
})
