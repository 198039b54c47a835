import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { builtinErrors } from '@errcodes/core'
import { createI18n } from '../src/create-i18n.js'

// The plain node:http use from the README, over a real socket: the header a browser sends picks the body.
t.test('a Korean client gets a Korean body, an unknown language gets English', async (t) => {
  const i18n = createI18n()
  const entry = builtinErrors.ROUTE_NOT_FOUND
  const server = createServer((req, res) => {
    const { message, locale } = i18n.translate(entry.messageKey, undefined, req.headers['accept-language'], entry.message)
    res.writeHead(entry.status, { 'content-type': 'application/json', 'content-language': locale, vary: 'Accept-Language' })
    res.end(JSON.stringify({ error_name: entry.name, message }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => server.close())
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/nope`
  const cases: Array<[string | undefined, string, string]> = [
    ['ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7', 'ko', '경로를 찾을 수 없습니다'],
    ['tlh, x-klingon', 'en', 'Route not found'],
    [undefined, 'en', 'Route not found'],
    ['zh-TW,zh;q=0.9', 'zh-Hant', '找不到路由'],
    ['a,'.repeat(8000), 'en', 'Route not found']
  ]
  for (const [header, locale, message] of cases) {
    const res = await fetch(url, { headers: header === undefined ? {} : { 'accept-language': header } })
    t.equal(res.status, 404)
    t.equal(res.headers.get('content-language'), locale)
    t.same(await res.json(), { error_name: 'ROUTE_NOT_FOUND', message }, String(header).slice(0, 30))
  }
})
