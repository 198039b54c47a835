// Child process: tinybench micro-benchmarks of the hot functions, answered over IPC as JSON.
import { Bench } from 'tinybench'
import { HEADERS, errors, errorsWithStacks, messages } from './bench-catalog.js'
import { answerParent } from './answer-parent.js'

const time = Number(process.argv[2] ?? 500)
// Sub-microsecond functions run BATCH times per sample: one performance.now() pair costs about as much
// as the function itself, so timing single calls would mostly measure the timer.
const BATCH = 1000
const HOSTILE_VARIANTS = 2048
const HOSTILE_BYTES = 16 * 1024
let sink
const I18N_TASKS = ['i18n translate() cached', 'i18n translate() cached, cache full', 'i18n negotiate() cached', 'i18n negotiate() cached, cache full',
  'i18n negotiate() hostile 16 KiB, many ranges', 'i18n negotiate() hostile 16 KiB, one token']

async function load (specifier, name) {
  try {
    const mod = await import(specifier)
    return typeof mod[name] === 'function' ? mod : undefined
  } catch {
    return undefined
  }
}

/**
 * Distinct 16 KiB Accept-Language values (more than any sane cache holds, so each call is a miss).
 * `ranges`: well-formed ranges of languages nobody offers, so every one is looked at as hard as the
 * matcher looks at anything (exact, maximized, truncated); `token`: one 16 KiB run with no comma.
 */
function hostileHeaders (kind) {
  const out = []
  for (let i = 0; i < HOSTILE_VARIANTS; i++) {
    let h = ''
    if (kind === 'ranges') {
      // The first range spells i, so all 2048 values differ within the 512 characters a matcher reads.
      h = `${letters(i % 676)}-${letters(Math.floor(i / 676)).toUpperCase()};q=0.9`
      for (let k = 0; h.length < HOSTILE_BYTES; k++) {
        const lang = letters((i * 31 + k * 7) % 676)
        if (OFFERED.has(lang)) continue
        h += `${h === '' ? '' : ','}${lang}-${letters((i + k) % 676).toUpperCase()};q=0.${(k % 9) + 1}`
      }
    } else {
      h = ('ko' + letters(i % 676)).padEnd(HOSTILE_BYTES, 'a-')
    }
    // Through a Buffer: a flat string, like the one the HTTP parser hands over (not a rope of concatenations).
    out.push(Buffer.from(h.slice(0, HOSTILE_BYTES), 'latin1').toString('latin1'))
  }
  return out
}

// Languages the bench translator has (the messages plus the built-in locales).
const OFFERED = new Set(['en', 'ko', 'de', 'es', 'fr', 'ja', 'zh'])

function letters (n) {
  return String.fromCharCode(97 + Math.floor(n / 26), 97 + (n % 26))
}

async function main () {
  const core = await import('@errcodes/core')
  const i18nMod = await load('@errcodes/i18n', 'createI18n')
  const metricsMod = await load('@errcodes/metrics', 'createMetrics')
  const bench = new Bench({ time, warmupTime: Math.max(10, time / 4), throws: true })
  const tasks = {}
  const add = (name, batch, fn) => { tasks[name] = { batch, fn }; bench.add(name, fn) }
  const unavailable = {}

  const err = errors.USER_NOT_FOUND.create({ userId: '42' })
  const foreign = new Error('connect ECONNREFUSED 10.0.0.1:5432')
  const acceptLanguage = HEADERS['accept-language']

  if (metricsMod !== undefined) {
    const metrics = metricsMod.createMetrics({ catalog: errors })
    const event = { error: err, status: 404, method: 'GET', route: '/users/:id', path: '/users/42', requestId: 'req-1', timestamp: Date.now() }
    add('metrics record()', BATCH, () => { for (let i = 0; i < BATCH; i++) metrics.record(event) })
    // With tracing on, each event carries a trace id that becomes the series' exemplar at the next scrape.
    const traced = { ...event, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }
    add('metrics record() traced', BATCH, () => { for (let i = 0; i < BATCH; i++) metrics.record(traced) })
  } else {
    unavailable['metrics record()'] = '@errcodes/metrics not available'
    unavailable['metrics record() traced'] = '@errcodes/metrics not available'
  }

  if (i18nMod !== undefined) {
    // One translator per state, so no task changes the cache another one measures.
    const fresh = i18nMod.createI18n({ messages, defaultLocale: 'en' })
    // A server that has met a thousand other Accept-Language values: the steady state of a public service.
    const full = i18nMod.createI18n({ messages, defaultLocale: 'en' })
    for (let i = 0; i < 1200; i++) full.negotiate(`en-${letters(i % 676).toUpperCase()};q=0.9,x-${i.toString(36)};q=0.5`)
    full.negotiate(acceptLanguage)
    const hostile = i18nMod.createI18n({ messages, defaultLocale: 'en' })
    const ranges = hostileHeaders('ranges')
    const token = hostileHeaders('token')
    let r = 0
    let t = 0
    add('i18n translate() cached', BATCH, () => { for (let i = 0; i < BATCH; i++) sink = fresh.translate('errors.user_not_found', err.params, acceptLanguage, err.message) })
    add('i18n translate() cached, cache full', BATCH, () => { for (let i = 0; i < BATCH; i++) sink = full.translate('errors.user_not_found', err.params, acceptLanguage, err.message) })
    add('i18n negotiate() cached', BATCH, () => { for (let i = 0; i < BATCH; i++) sink = fresh.negotiate(acceptLanguage) })
    add('i18n negotiate() cached, cache full', BATCH, () => { for (let i = 0; i < BATCH; i++) sink = full.negotiate(acceptLanguage) })
    add('i18n negotiate() hostile 16 KiB, many ranges', 1, () => { sink = hostile.negotiate(ranges[r++ % ranges.length]) })
    add('i18n negotiate() hostile 16 KiB, one token', 1, () => { sink = hostile.negotiate(token[t++ % token.length]) })
  } else {
    for (const name of I18N_TASKS) unavailable[name] = '@errcodes/i18n not available'
  }

  const twenty = {
    id: 42,
    email: 'ada@example.com',
    name: 'Ada Lovelace',
    password: 'hunter2',
    token: 'eyJhbGciOiJIUzI1NiJ9.e30.abc',
    apiKey: 'sk_live_0123456789abcdef',
    role: 'admin',
    active: true,
    createdAt: '2026-01-16T10:00:00.000Z',
    country: 'KR',
    phone: '+82 10 1234 5678',
    note: 'call after 5pm',
    authorization: 'Bearer abc.def.ghi',
    plan: 'pro',
    seats: 12,
    cardNumber: '4111 1111 1111 1111',
    tags: ['a', 'b'],
    address: { city: 'Seoul', zip: '04524' },
    locale: 'ko-KR',
    score: 0.97
  }
  // What the stack policy saves per error: the same 404 with and without V8's stack capture.
  add('core create() 404, no stack (production policy)', 1, () => { sink = errors.USER_NOT_FOUND.create({ userId: '42' }) })
  add('core create() 404, with stack (stackTraces: all)', 1, () => { sink = errorsWithStacks.USER_NOT_FOUND.create({ userId: '42' }) })
  add('core redact() 20 fields', 1, () => { sink = core.redact(twenty) })
  add('core normalizeError() AppError', BATCH, () => { for (let i = 0; i < BATCH; i++) sink = core.normalizeError(err, errors) })
  add('core normalizeError() foreign Error', 1, () => { sink = core.normalizeError(foreign, errors) })
  const context = { format: 'json', message: '사용자 42을(를) 찾을 수 없습니다', locale: 'ko', requestId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }
  // The run-time check of params and detail: the same entry with and without schemas (the difference
  // is the compiled TypeBox check); valid input, so both check modes cost the same.
  const checked = core.defineErrors({ CARD_DECLINED: { code: 901, domain: 'CUSTOM', status: 402, message: 'Card declined: {reason}', params: core.Type.Object({ reason: core.Type.String() }), detail: core.Type.Object({ attempts: core.Type.Integer({ minimum: 1 }) }) } }, { check: 'throw' })
  const unchecked = core.defineErrors({ CARD_DECLINED: { code: 901, domain: 'CUSTOM', status: 402, message: 'Card declined: {reason}', params: core.Type.Object({ reason: core.Type.String() }) } })
  const plain = core.defineErrors({ CARD_DECLINED: { code: 901, domain: 'CUSTOM', status: 402, message: 'Card declined' } })
  const cardOptions = { detail: { attempts: 2 } }
  add('core create() params and detail checked', 1, () => { sink = checked.CARD_DECLINED.create({ reason: 'expired' }, cardOptions) })
  add('core create() params checked, detail without schema', 1, () => { sink = unchecked.CARD_DECLINED.create({ reason: 'expired' }, cardOptions) })
  add('core create() no schemas (nothing checked)', 1, () => { sink = plain.CARD_DECLINED.create(undefined, cardOptions) })
  add('core formatError() json', 1, () => { sink = core.formatError(err, context) })
  add('core formatError() problem', 1, () => { sink = core.formatError(err, { ...context, format: 'problem', instance: '/users/42' }) })

  await bench.run()
  const results = {}
  for (const task of bench.tasks) {
    const { batch, fn } = tasks[task.name]
    const res = task.result
    // Latencies are ms per sample; a sample is `batch` calls.
    results[task.name] = {
      batch,
      samples: res.latency.samplesCount ?? res.latency.df + 1,
      meanNs: res.latency.mean * 1e6 / batch,
      p50Ns: res.latency.p50 * 1e6 / batch,
      p99Ns: res.latency.p99 * 1e6 / batch,
      opsPerSec: res.throughput.mean * batch,
      rme: res.latency.rme,
      cpuNs: cpuPerCall(fn, batch, Math.max(5, time / 2))
    }
  }
  for (const [name, reason] of Object.entries(unavailable)) results[name] = { status: 'unavailable', reason }
  // Reading the sink keeps the optimizer from dropping the calls whose results nothing else reads.
  if (sink === undefined) throw new Error('the benchmarked functions returned nothing')
  return results
}

/**
 * CPU time per call over a loop of at least `budgetMs` of CPU. Wall-clock samples on a shared machine
 * include the time other processes held the core; CPU time counts only this process's own work.
 */
function cpuPerCall (fn, batch, budgetMs) {
  let calls = 0
  let used = 0
  const start = process.cpuUsage()
  while (used < budgetMs * 1000) {
    for (let i = 0; i < 16; i++) fn()
    calls += 16
    const d = process.cpuUsage(start)
    used = d.user + d.system
  }
  return used * 1000 / (calls * batch)
}

answerParent(main())
