import t from 'tap'
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Fastify from 'fastify'
import { builtinErrors, overrideCatalog } from '@errcodes/core'
import errorCodes from '@errcodes/fastify'
import { createI18n } from '@errcodes/i18n'
import { errors as demoErrors } from '@errcodes-examples/fastify-demo/src/errors.js'

// Finding 5 of the security review: `"주문 {orderId} \xff\xfe"` reloaded `ok` and clients got `��`;
// a key of invalid bytes reloaded `ok` and Korean users silently got English.

const demoLocales = new URL('../../examples/fastify-demo/locales/', import.meta.url)

/** ko.json with `bytes` spliced into the order_not_found message (or its key), and the offset where they start. */
async function corrupted (dir: string, where: 'value' | 'key', bytes: number[]): Promise<{ file: Buffer, offset: number }> {
  const text = await readFile(join(dir, 'ko.json'), 'utf8')
  const marker = where === 'value' ? '"주문 {orderId}' : '"order_not_found"'
  const at = Buffer.byteLength(text.slice(0, text.indexOf(marker))) + Buffer.byteLength(where === 'value' ? '"주문 {orderId}' : '"')
  const original = Buffer.from(text)
  return { file: Buffer.concat([original.subarray(0, at), Buffer.from(bytes), original.subarray(at)]), offset: at }
}

t.test('invalid UTF-8 in a locale file: refused on reload with file and byte offset; clients keep the old Korean', async t => {
  const dir = await mkdtemp(join(tmpdir(), 'errcodes-utf8-'))
  t.teardown(() => rm(dir, { recursive: true, force: true }))
  await cp(demoLocales, dir, { recursive: true })
  const i18n = createI18n({ dir, defaultLocale: 'en' })
  t.teardown(() => i18n.close())
  const app = Fastify()
  await app.register(errorCodes, { catalog: overrideCatalog(builtinErrors, demoErrors), i18n })
  app.get('/orders/:id', async (request) => { throw demoErrors.ORDER_NOT_FOUND.create({ orderId: (request.params as { id: string }).id }) })
  t.teardown(() => app.close())
  const korean = async (): Promise<{ message: string, language: string | undefined }> => {
    const res = await app.inject({ url: '/orders/7', headers: { 'accept-language': 'ko' } })
    return { message: res.json().message, language: res.headers['content-language'] as string | undefined }
  }
  const good = await korean()
  t.same(good, { message: '주문 7을(를) 찾을 수 없습니다', language: 'ko' })

  for (const [where, bytes] of [['value', [0x20, 0xff, 0xfe]], ['key', [0xc3, 0x28]], ['value', [0xed, 0xa0, 0x80]]] as const) {
    const { file, offset } = await corrupted(dir, where, [...bytes])
    await writeFile(join(dir, 'ko.json'), file)
    const result = await i18n.reload()
    t.equal(result.ok, false, `bytes ${bytes.map(b => b.toString(16)).join(' ')} in a ${where}: the reload is refused`)
    const firstBad = offset + (bytes[0] === 0x20 ? 1 : 0)
    t.match(result.problems, [{ severity: 'error', file: join(dir, 'ko.json'), problem: new RegExp(`invalid UTF-8 at byte ${firstBad}\\b`) }], 'the problem names the file and the byte offset')
    const now = await korean()
    t.same(now, good, 'Korean clients keep the old Korean message')
    t.notMatch(now.message, /\uFFFD/, 'never U+FFFD')
    await cp(demoLocales, dir, { recursive: true })
  }

  const { file } = await corrupted(dir, 'value', [0xff])
  await writeFile(join(dir, 'ko.json'), file)
  t.throws(() => createI18n({ dir, defaultLocale: 'en' }), { name: 'LocaleLoadError', message: /ko\.json: invalid UTF-8 at byte \d+/ }, 'at start the same file is refused')
})
