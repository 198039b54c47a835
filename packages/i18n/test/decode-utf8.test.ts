import t from 'tap'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createI18n, LocaleLoadError } from '../src/index.js'

const en = (): Buffer => Buffer.from(JSON.stringify({ errors: { order_not_found: 'Order {orderId} not found' } }))
const ko = (text: string): Buffer => Buffer.from(JSON.stringify({ errors: { order_not_found: text } }))

function folder (t: Tap, files: Record<string, Buffer>): string {
  const dir = mkdtempSync(join(tmpdir(), 'errcodes-utf8-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(dir, name), bytes)
  return dir
}
type Tap = { teardown (fn: () => void): void }

// Each invalid sequence, spliced into a valid Korean message, and where it starts.
const prefix = Buffer.from('{"errors":{"order_not_found":"주문 ')
const BAD: Array<[string, number[]]> = [
  ['0xFF 0xFE', [0xff, 0xfe]],
  ['a lone continuation byte', [0x80]],
  ['a truncated 3-byte sequence', [0xec, 0xa3]],
  ['an overlong "/"', [0xc0, 0xaf]],
  ['an overlong 3-byte form', [0xe0, 0x80, 0xaf]],
  ['a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
  ['beyond U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ['0xC3 then ASCII', [0xc3, 0x28]]
]

t.test('a locale file with invalid UTF-8 is refused at start, naming the file and the byte offset', async t => {
  for (const [what, bytes] of BAD) {
    const dir = folder(t, { 'en.json': en(), 'ko.json': Buffer.concat([prefix, Buffer.from(bytes), Buffer.from('"}}')]) })
    const err = t.throws(() => createI18n({ dir, builtins: false }), LocaleLoadError, what) as LocaleLoadError
    t.match(err.message, `ko.json: invalid UTF-8 at byte ${prefix.length}`, `${what}: file and offset ${prefix.length}`)
  }
  const bom = folder(t, { 'en.json': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), en()]) })
  t.equal(createI18n({ dir: bom, builtins: false }).translate('errors.order_not_found', { orderId: '7' }, 'en').message, 'Order 7 not found', 'a UTF-8 BOM is fine')
})

t.test('on reload a file that became invalid is refused and the old messages stay', async t => {
  const dir = folder(t, { 'en.json': en(), 'ko.json': ko('주문 {orderId}을(를) 찾을 수 없습니다') })
  const i18n = createI18n({ dir, builtins: false })
  const before = i18n.translate('errors.order_not_found', { orderId: '7' }, 'ko')
  t.same(before, { message: '주문 7을(를) 찾을 수 없습니다', locale: 'ko' })

  writeFileSync(join(dir, 'ko.json'), Buffer.concat([prefix, Buffer.from('{orderId} '), Buffer.from([0xff, 0xfe]), Buffer.from('"}}')]))
  const value = await i18n.reload()
  t.equal(value.ok, false, 'an invalid byte in a value is refused')
  t.match(value.problems, [{ severity: 'error', file: join(dir, 'ko.json'), problem: `invalid UTF-8 at byte ${prefix.length + '{orderId} '.length}; the file was refused` }])
  t.same(i18n.translate('errors.order_not_found', { orderId: '7' }, 'ko'), before, 'Korean clients still get the old Korean message, never U+FFFD')

  writeFileSync(join(dir, 'ko.json'), Buffer.concat([Buffer.from('{"errors":{"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('":"x"}}')]))
  const key = await i18n.reload()
  t.equal(key.ok, false, 'a key of invalid bytes is refused too')
  t.same(i18n.translate('errors.order_not_found', { orderId: '7' }, 'ko'), before, 'Korean users do not silently get English')

  writeFileSync(join(dir, 'ko.json'), ko('주문 {orderId} 없음'))
  t.equal((await i18n.reload()).ok, true, 'a fixed file reloads')
  t.equal(i18n.translate('errors.order_not_found', { orderId: '7' }, 'ko').message, '주문 7 없음')
})
