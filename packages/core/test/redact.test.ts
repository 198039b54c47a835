import t from 'tap'
import { REDACTED, createRedactor, maskPath, maskString, redact } from '../src/redact.js'

// A generous bound: these must be linear, and 200 ms only fails on a real regression.
const FAST_MS = 200

function timed<T> (fn: () => T): [T, number] {
  const start = performance.now()
  const out = fn()
  return [out, performance.now() - start]
}

t.test('secret-looking keys are masked, case- and separator-insensitive, at any depth', async t => {
  const keys = ['Authorization', 'X-API-KEY', 'apiKey', 'api_key', 'set-cookie', 'Cookie', 'refresh_token', 'accessToken', 'passwordConfirmation', 'PASSWORD', 'clientSecret', 'session_id', 'privateKey', 'card_number', 'cvv', 'ssn', 'pin', 'otp', 'x-auth-token', 'credentials', 'signature']
  const input: Record<string, unknown> = { name: 'kept', count: 3 }
  for (const k of keys) input[k] = `value-of-${k}`
  input.nested = { deeper: { token: 'abc', list: [{ Authorization: 'Bearer x' }] } }
  const out = redact(input) as Record<string, unknown>
  for (const k of keys) t.equal(out[k], REDACTED, k)
  t.equal(out.name, 'kept')
  t.equal(out.count, 3)
  t.same(out.nested, { deeper: { token: REDACTED, list: [{ Authorization: REDACTED }] } })
  t.equal((redact({ 'set-cookie': ['a=1', 'b=2'] }) as Record<string, unknown>)['set-cookie'], REDACTED, 'an array value of a secret key')
  for (const k of ['spinner', 'pinned', 'author', 'sessions_count_label', 'description', 'tokenizer']) {
    const value = (redact({ [k]: 'plain' }) as Record<string, unknown>)[k]
    if (k === 'sessions_count_label' || k === 'tokenizer') t.equal(value, REDACTED, `${k} contains a sensitive word (substring match is deliberate)`)
    else t.equal(value, 'plain', `${k} is not a secret`)
  }
  const custom = createRedactor({ extraKeys: ['customerRef', 'iban2'] })
  t.same(custom({ customer_ref: 'x', iban2: 'y', other: 'z' }), { customer_ref: REDACTED, iban2: REDACTED, other: 'z' })
  t.same(createRedactor({ keys: false })({ password: 'x' }), { password: 'x' }, 'keys: false')
  t.throws(() => createRedactor({ patterns: [/x/] } as never), { name: 'TypeError', message: /^createRedactor: unknown option "patterns" \(valid: keys, values, extraKeys,/ })
  t.throws(() => createRedactor({ maxdepth: 2 } as never), { name: 'TypeError', message: /^createRedactor: unknown option "maxdepth"; did you mean "maxDepth"\?/ })
})

t.test('PII values are masked inside strings', async t => {
  const cases: Array<[string, string]> = [
    ['mail kim.lee+tag@example.co.kr now', 'mail k***@example.co.kr now'],
    ['010-1234-5678', '***-****-5678'],
    ['01012345678', '*******5678'],
    ['+82 10 1234 5678', '+** ** **** 5678'],
    ['+1 555 123 4567', '+* *** *** 4567'],
    ['(555) 123-4567', '(***) ***-4567'],
    ['4111 1111 1111 1111', '**** **** **** 1111'],
    ['4111-1111-1111-1111', '**** **** **** 1111'],
    ['4111111111111111', '**** **** **** 1111'],
    ['order 1234567890123456', 'order 1234567890123456'],
    ['123-45-6789', '***-**-****'],
    ['900101-1234567', '******-*******'],
    ['token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.abcDEF_123', 'token [JWT]'],
    ['https://u:p@host/path', 'https://***:***@host/path'],
    ['postgres://admin:hunter2@db:5432/x', 'postgres://***:***@db:5432/x'],
    ['Authorization: Bearer abcdefghijklmnop', `Authorization: Bearer ${REDACTED}`],
    ['https://x.com/cb?code=abc&token=t0k3n&x=1', `https://x.com/cb?code=${REDACTED}&token=${REDACTED}&x=1`],
    ['id 12345 at 10:30', 'id 12345 at 10:30']
  ]
  for (const [input, expected] of cases) {
    t.equal(maskString(input), expected, input)
    t.equal(redact(input), expected)
    t.same(redact({ note: input }), { note: expected })
  }
  t.same(createRedactor({ values: false })('kim@example.com'), 'kim@example.com', 'values: false')
})

t.test('ReDoS probes finish quickly', async t => {
  const probes = [
    'a'.repeat(16000),
    'a@' + 'a'.repeat(16000),
    'a.'.repeat(8000) + '@',
    '@a.'.repeat(5000),
    ('a'.repeat(60) + '@').repeat(260),
    'a@a.' + 'a.'.repeat(8000),
    '1'.repeat(16000),
    '1 '.repeat(8000),
    '1-'.repeat(8000),
    '123-45-'.repeat(2300),
    '+1 '.repeat(5400),
    '0'.repeat(16000) + 'x',
    'eyJ' + 'a'.repeat(16000),
    'eyJa.'.repeat(3200),
    'Bearer '.repeat(2300),
    'Bearer ' + 'a'.repeat(16000),
    'http://' + 'a:'.repeat(8000),
    'a://' + 'b'.repeat(16000) + ':',
    '?token='.repeat(2300),
    '&token=' + 'x'.repeat(16000),
    ' '.repeat(16000) + '@'
  ]
  for (const probe of probes) {
    const [, maskMs] = timed(() => maskString(probe))
    t.ok(maskMs < FAST_MS, `maskString ${JSON.stringify(probe.slice(0, 12))}… took ${maskMs.toFixed(1)} ms`)
    const [out, redactMs] = timed(() => redact({ probe }))
    t.ok(redactMs < FAST_MS, `redact took ${redactMs.toFixed(1)} ms`)
    t.ok(((out as { probe: string }).probe).length < 4200, 'strings are cut to about 4 KiB (masks may add a few characters)')
  }
})

t.test('cycles, depth and size are bounded', async t => {
  const cyclic: Record<string, unknown> = { a: 1 }
  cyclic.self = cyclic
  cyclic.list = [cyclic]
  t.same(redact(cyclic), { a: 1, self: '[Circular]', list: ['[Circular]'] })
  const shared = { x: 1 }
  t.same(redact({ a: shared, b: shared }), { a: { x: 1 }, b: { x: 1 } }, 'a shared (non-cyclic) reference is not a cycle')
  const err = new Error('loop') as Error & { cause?: unknown }
  err.cause = err
  t.same(redact(err), { cause: '[Circular]', name: 'Error', message: 'loop' })
  let deep: Record<string, unknown> = {}
  const root = deep
  for (let i = 0; i < 10000; i++) { const next = {}; deep.n = next; deep = next }
  const [deepOut, deepMs] = timed(() => JSON.stringify(redact(root)))
  t.ok(deepMs < FAST_MS, '10k depth is fast')
  t.match(deepOut, /\[Truncated\]/)
  t.ok(deepOut.length < 200)
  let deepArr: unknown[] = []
  const rootArr = deepArr
  for (let i = 0; i < 10000; i++) { const next: unknown[] = []; deepArr.push(next); deepArr = next }
  t.match(JSON.stringify(redact(rootArr)), /\[Truncated\]/)
  const big = new Array(1e6).fill('kim@example.com')
  const [bigOut, bigMs] = timed(() => redact(big) as unknown[])
  t.ok(bigMs < FAST_MS * 5, `1e6 items took ${bigMs.toFixed(1)} ms`)
  t.equal(bigOut.length, 101)
  t.equal(bigOut[0], 'k***@example.com')
  t.equal(bigOut[100], '[+999900 more items]')
  const sparse = redact(new Array(1e9)) as unknown[]
  t.equal(sparse.length, 101, 'a sparse array of length 1e9')
  const manyKeys = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`k${i}`, i]))
  const keysOut = redact(manyKeys) as Record<string, unknown>
  t.equal(Object.keys(keysOut).length, 101)
  t.equal(keysOut['…'], '[+4900 more keys]')
  const small = createRedactor({ maxDepth: 2, maxKeys: 2, maxItems: 1, maxString: 3 })
  t.same(small({ a: 'abcdef', b: [1, 2], c: 3 }), { a: 'abc…', b: [1, '[+1 more items]'], '…': '[+1 more keys]' })
  t.same(small({ a: { b: { c: 1 } } }), { a: { b: '[Truncated]' } })
})

t.test('non-JSON values and odd shapes', async t => {
  const sym = Symbol('k')
  class Account { id = 7; password = 'x'; get computed (): string { throw new Error('getter') } }
  const input = {
    big: 10n,
    sym: Symbol('v'),
    [sym]: 'symbol keys are skipped',
    fn () { return 1 },
    map: new Map<unknown, unknown>([['password', 'x'], ['ok', { apiKey: 'y' }], [{ obj: 1 }, 'objkey']]),
    set: new Set([1, 'kim@example.com']),
    buf: Buffer.from('secret bytes'),
    typed: new Uint8Array(4),
    date: new Date(0),
    badDate: new Date(NaN),
    account: new Account(),
    nullProto: Object.assign(Object.create(null) as object, { a: 1, token: 't' }),
    frozen: Object.freeze({ apiKey: 'k', n: Object.freeze({ v: 1 }) }),
    regex: /x/g,
    nil: null,
    undef: undefined,
    nan: NaN
  }
  const out = redact(input) as Record<string, unknown>
  t.equal(out.big, '10')
  t.equal(out.sym, 'Symbol(v)')
  t.notOk(Object.getOwnPropertySymbols(out).length, 'no symbol keys')
  t.equal(out.fn, '[Function]')
  t.same(out.map, { password: REDACTED, ok: { apiKey: REDACTED }, '[object Object]': 'objkey' })
  t.same(out.set, [1, 'k***@example.com'])
  t.equal(out.buf, '[Binary 12 bytes]')
  t.equal(out.typed, '[Binary 4 bytes]')
  t.equal(out.date, '1970-01-01T00:00:00.000Z')
  t.equal(out.badDate, 'Invalid Date')
  t.same(out.account, { id: 7, password: REDACTED }, 'class instances: own fields only, prototype getters not run')
  t.same(out.nullProto, { a: 1, token: REDACTED })
  t.same(out.frozen, { apiKey: REDACTED, n: { v: 1 } })
  t.same(out.regex, {})
  t.equal(out.nil, null)
  t.equal(out.undef, undefined)
  t.ok(Number.isNaN(out.nan))
  t.doesNotThrow(() => JSON.stringify(out), 'the output is JSON-safe')
})

t.test('throwing getters, toJSON and Proxies', async t => {
  const throwing = { ok: 1, get bad (): unknown { throw new Error('getter') }, toJSON () { throw new Error('toJSON') } }
  t.same(redact(throwing), { ok: 1, bad: '[Unreadable]', toJSON: '[Function]' })
  const boom = (): never => { throw new Error('trap') }
  t.equal(redact(new Proxy({}, { ownKeys: boom })), '[Unreadable]')
  t.equal(redact(new Proxy({}, { getPrototypeOf: boom })), '[Unreadable]')
  t.same(redact({ a: new Proxy({}, { ownKeys: boom }), b: 2 }), { a: '[Unreadable]', b: 2 })
  t.same(redact(new Proxy({ x: 1 }, { get: boom })), { x: '[Unreadable]' })
  const { proxy, revoke } = Proxy.revocable({}, {})
  revoke()
  t.equal(redact(proxy), '[Unreadable]')
  t.same(redact([new Proxy([], { get: boom })]), ['[Unreadable]'])
})

t.test('__proto__ keys never pollute and the input is never mutated', async t => {
  const hostile = JSON.parse('{"__proto__": {"polluted": true}, "constructor": {"prototype": {"polluted": true}}, "a": {"__proto__": {"polluted": true}}, "token": "t", "list": [{"__proto__": {"x": 1}}]}') as Record<string, unknown>
  const before = JSON.stringify(hostile)
  const out = redact(hostile) as Record<string, unknown>
  t.same(out, { a: {}, token: REDACTED, list: [{}] })
  t.equal(Object.getPrototypeOf(out), Object.prototype)
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is not polluted')
  t.equal((Object.prototype as unknown as Record<string, unknown>).polluted, undefined)
  t.equal(JSON.stringify(hostile), before, 'input not mutated')

  const input = { user: { email: 'kim@example.com', password: 'hunter2', tags: ['a', 'Bearer abcdefghijkl'] }, at: new Date(0), m: new Map([['token', 'x']]) }
  const snapshot = structuredClone(input)
  redact(input)
  t.same(input, snapshot, 'nested input unchanged')
  t.equal(input.m.get('token'), 'x')
})

t.test('maskPath decodes percent-escapes before masking, drops query and fragment, keeps invalid escapes', async t => {
  const cases: Array<[string, string]> = [
    ['/orders/jane%40example.com', '/orders/j***@example.com'],
    ['/orders/jane%2540example.com', '/orders/j***@example.com'],
    ['/orders/4111%201111%201111%201111', '/orders/**** **** **** 1111'],
    ['/orders/x%20password=hunter2', `/orders/x password=${REDACTED}`],
    ['/orders/x%20password%3Dhunter2', `/orders/x password=${REDACTED}`],
    ['/users/jane@example.com?token=abc#frag', '/users/j***@example.com'],
    ['/files/%E2%82%AC%20100%25', '/files/€ 100%'],
    ['/bad/%C3/%FF/%E2%82/%C0%AF/%zz/%', '/bad/%C3/%FF/%E2%82/%C0%AF/%zz/%'],
    ['/mixed/%FF%40x%E2%82%AC', '/mixed/%FF@x€'],
    ['/ctl/%0d%0aSet-Cookie:%20a=1/%00/%E2%80%A8', '/ctl/%0d%0aSet-Cookie: a=1/%00/%E2%80%A8'],
    ['/plain/path', '/plain/path']
  ]
  for (const [input, expected] of cases) t.equal(maskPath(input), expected, input)
  t.equal(maskPath('/a/' + 'b'.repeat(5000)), '/a/…', 'cut at 2048 characters by default, without the cut segment')
  t.equal(maskPath('/a/' + 'b'.repeat(2045)), '/a/' + 'b'.repeat(2045), 'a path of exactly 2048 characters is whole')
  t.equal(maskPath('/abcdef', 4), '/…', 'cut at max before decoding')
  t.equal(maskPath('/x/' + 'y'.repeat(2030) + '/jane.doe@example.com'), '/x/' + 'y'.repeat(2030) + '/…', 'an e-mail split by the cut is left out, not half shown')
  t.equal(maskPath('nosegments'.repeat(300)), '…', 'a cut path without a slash keeps nothing of the cut text')
  t.equal(maskPath(42 as unknown as string), '', 'a non-string is an empty path')
  t.equal(maskPath('/%252540x'), '/@x', 'a triple encoding is unwrapped')
  t.equal(maskPath('/jane%25252540example.com'), '/j***@example.com', 'an e-mail encoded four times is masked')
  t.equal(maskPath('/jane%' + '25'.repeat(1000) + '40example.com'), '/j***@example.com', 'at any depth')
  t.equal(maskPath('/100%2525zz'), '/100%zz', 'a re-encoded percent before non-hex text stays a percent')
})

t.test('maskString checks percent-encoded text too, and changes nothing that hides no secret', async t => {
  t.equal(maskString('Order jane%40example.com not found'), 'Order j***@example.com not found')
  t.equal(maskString("'/nope/%ZZ?e=jane%40example.com' is not a valid url component"), "'/nope/%ZZ?[REDACTED]' is not a valid url component")
  t.equal(maskString('see jane%40example.com'), 'see j***@example.com')
  t.equal(maskString('a 100%25 discount on /a%20b'), 'a 100%25 discount on /a%20b', 'no secret: the text stays as it was')
  t.equal(maskString('card 4111%201111%201111%201111'), 'card **** **** **** 1111')
})

t.test('maskString sees through invisible characters and full-width forms, and keeps text that hides nothing', async t => {
  t.equal(maskString('Order jane\u200b@example.com not found'), 'Order j***@example.com not found', 'zero-width space before @')
  t.equal(maskString('mail ja\u00adne@exa\u200cmple.com'), 'mail j***@example.com', 'soft hyphen and zero-width non-joiner')
  t.equal(maskString('mail jane\uff20example.com'), 'mail j***@example.com', 'full-width commercial at')
  t.equal(maskString('mail jane\ufe6bexample.com'), 'mail j***@example.com', 'small commercial at')
  t.equal(maskString('card \uff14\uff11\uff11\uff11 1111 1111 1111'), 'card **** **** **** 1111', 'full-width digits of a card')
  t.equal(maskString('주문을 찾을 수 없습니다（ID：１２）！'), '주문을 찾을 수 없습니다（ID：１２）！', 'full-width punctuation that hides nothing is kept')
  t.equal(maskString('a\u200bb'), 'a\u200bb', 'an invisible character that hides nothing is kept')
})

t.test('maskString masks keyed secrets in colon, spaced and JSON forms', async t => {
  t.equal(maskString('login failed password: hunter2 token: abcdef0123456789secret'), 'login failed password: [REDACTED] token: [REDACTED]')
  t.equal(maskString('upstream 400: {"password":"hunter2","email":"jane@example.com"}'), 'upstream 400: {"password":"[REDACTED]","email":"j***@example.com"}')
  t.equal(maskString('pwd = x1 and api_key=abc'), 'pwd = [REDACTED] and api_key=[REDACTED]')
  t.equal(maskString("TypeError('handler failed token=hunter2')"), "TypeError('handler failed token=[REDACTED]')", 'a closing quote is kept')
  t.equal(maskString('    at Object.token (/app/src/x.js:10:5)'), '    at Object.token (/app/src/x.js:10:5)', 'stack frames are left alone')
  t.equal(maskString('the tokenizer failed: unexpected end'), 'the tokenizer failed: unexpected end')
  t.equal(maskString('bad config: db.password=hunter22 opts.token=abcdef123456'), 'bad config: db.password=[REDACTED] opts.token=[REDACTED]', 'a property path as the key')
  t.equal(maskString("  e.password = 'PropPassword999'"), "  e.password = '[REDACTED]'", 'an assignment in a source line')
  t.equal(maskString("  e.apiToken = 'PropApiToken888'; x.dbPassword: s3"), "  e.apiToken = '[REDACTED]'; x.dbPassword: [REDACTED]", 'a longer name ending in a secret key')
  t.equal(maskString('nextPageToken count: 5 tokens: 3 passwordless: true'), 'nextPageToken count: 5 tokens: 3 passwordless: true', 'a key that only starts with a secret word is not one')
  const hostile = 'a.'.repeat(8192) + 'password'
  t.equal(maskString(hostile), hostile, 'a long dotted run without a separator is left alone (and linear)')
  t.equal(maskPath('/leak/tok/password%3Dhunter2?x=1'), '/leak/tok/password=[REDACTED]', 'a decoded path segment too')
})

t.test('a request target quoted in a message loses its query string', async t => {
  t.equal(maskString("'/orders/%E0%A4%A?sid=s3cr3tsession&q=alice' is not a valid url component"), "'/orders/%E0%A4%A?[REDACTED]' is not a valid url component")
  t.equal(maskString('GET /a/b?token=x failed'), 'GET /a/b?[REDACTED] failed')
  t.equal(maskString('is it /a/b? yes'), 'is it /a/b? yes', 'a question mark followed by a space is prose')
})
