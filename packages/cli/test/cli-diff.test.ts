import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import t from 'tap'
import { spawnCli } from './fixtures/spawn-cli.js'

interface Exported { version: 1, domains: Array<{ name: string, from: number, to: number }>, errors: Array<Record<string, any>> }

const base = JSON.parse((await spawnCli(['export', 'catalog.mjs'])).stdout) as Exported
const entry = (data: Exported, name: string): Record<string, any> => {
  const found = data.errors.find(e => e.name === name)
  if (found === undefined) throw new Error(`no ${name}`)
  return found
}

// Each case edits a copy of the fixture's export; `kinds` must all be reported, and nothing else breaking.
const cases: Array<{ title: string, kinds: string[], breaking: boolean, edit: (d: Exported) => void }> = [
  { title: 'a code removed', kinds: ['code-removed'], breaking: true, edit: d => { d.errors = d.errors.filter(e => e.name !== 'LEGACY_LOOKUP_FAILED') } },
  { title: 'the number of a name changed', kinds: ['number-changed'], breaking: true, edit: d => { entry(d, 'USER_NOT_FOUND').code = 302 } },
  { title: 'the name of a number changed', kinds: ['name-changed'], breaking: true, edit: d => { entry(d, 'USER_NOT_FOUND').name = 'USER_MISSING' } },
  { title: 'a status changed', kinds: ['status-changed'], breaking: true, edit: d => { entry(d, 'CARD_DECLINED').status = 400 } },
  { title: 'a param removed', kinds: ['param-removed'], breaking: true, edit: d => { delete entry(d, 'EMAIL_TAKEN').params.properties.hint } },
  { title: 'an optional param made required', kinds: ['param-now-required'], breaking: true, edit: d => { entry(d, 'EMAIL_TAKEN').params.required.push('hint') } },
  {
    title: 'a new required param',
    kinds: ['param-added-required'],
    breaking: true,
    edit: d => {
      const p = entry(d, 'USER_NOT_FOUND').params
      p.properties.tenant = { type: 'string' }
      p.required.push('tenant')
    }
  },
  { title: 'a param type changed', kinds: ['param-type-changed'], breaking: true, edit: d => { entry(d, 'USER_NOT_FOUND').params.properties.userId = { type: 'integer' } } },
  { title: 'a detail field removed', kinds: ['detail-removed'], breaking: true, edit: d => { delete entry(d, 'EMAIL_TAKEN').detail.properties.field } },
  { title: 'a domain range shrunk', kinds: ['domain-shrunk'], breaking: true, edit: d => { d.domains = d.domains.map(x => x.name === 'PAYMENT' ? { ...x, to: 650 } : x) } },
  {
    title: 'a domain removed with its codes',
    kinds: ['domain-removed', 'code-removed'],
    breaking: true,
    edit: d => {
      d.domains = d.domains.filter(x => x.name !== 'PAYMENT')
      d.errors = d.errors.filter(e => e.domain !== 'PAYMENT')
    }
  },
  { title: 'a code added', kinds: ['code-added'], breaking: false, edit: d => { d.errors.push({ ...entry(d, 'CARD_DECLINED'), name: 'CARD_EXPIRED', code: 602 }) } },
  { title: 'a message changed', kinds: ['message-changed'], breaking: false, edit: d => { entry(d, 'CARD_DECLINED').message = 'Your card was declined' } },
  { title: 'a description changed', kinds: ['description-changed'], breaking: false, edit: d => { entry(d, 'CARD_DECLINED').description = 'Declined.' } },
  { title: 'an optional param added', kinds: ['param-added'], breaking: false, edit: d => { entry(d, 'USER_NOT_FOUND').params.properties.tenant = { type: 'string' } } },
  { title: 'a domain range grown', kinds: ['domain-grown'], breaking: false, edit: d => { d.domains = d.domains.map(x => x.name === 'PAYMENT' ? { ...x, to: 799 } : x) } },
  { title: 'a domain added', kinds: ['domain-added'], breaking: false, edit: d => { d.domains.push({ name: 'SHIPPING', from: 700, to: 799 }) } },
  { title: 'an entry moved to another domain under the same code', kinds: ['domain-changed'], breaking: false, edit: d => { entry(d, 'CARD_DECLINED').domain = 'SERVER' } },
  { title: 'an optional param given to an entry that had no params', kinds: ['param-added'], breaking: false, edit: d => { entry(d, 'CARD_DECLINED').params = { type: 'object', properties: { last4: { type: 'string' } } } } },
  { title: 'a Retry-After changed', kinds: ['retry-after-changed'], breaking: false, edit: d => { entry(d, 'LEDGER_UNAVAILABLE').retryAfter = 60 } }
]

t.jobs = 4

t.test('an identical export has no change and exits 0', async t => {
  const dir = t.testdir({ 'old.json': JSON.stringify(base), 'new.json': JSON.stringify(base) })
  const run = await spawnCli(['diff', join(dir, 'old.json'), join(dir, 'new.json')])
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, ': 0 breaking changes, 0 non-breaking changes')
})

for (const c of cases) {
  t.test(`${c.title} is ${c.breaking ? 'breaking (exit 1)' : 'not breaking (exit 0)'}`, async t => {
    const changed = structuredClone(base)
    c.edit(changed)
    const dir = t.testdir({ 'old.json': JSON.stringify(base), 'new.json': JSON.stringify(changed) })
    const json = await spawnCli(['diff', join(dir, 'old.json'), join(dir, 'new.json'), '--json'])
    t.equal(json.code, c.breaking ? 1 : 0, json.stderr)
    const result = JSON.parse(json.stdout) as { breaking: Array<{ kind: string }>, nonBreaking: Array<{ kind: string }> }
    const found = (c.breaking ? result.breaking : result.nonBreaking).map(x => x.kind)
    t.same(found.slice().sort(), c.kinds.slice().sort())
    if (!c.breaking) t.same(result.breaking, [])
  })
}

t.test('the readable report lists breaking changes first, with their rule, and exits 1', async t => {
  const changed = structuredClone(base)
  entry(changed, 'CARD_DECLINED').status = 400
  entry(changed, 'CARD_DECLINED').message = 'Declined'
  changed.errors = changed.errors.filter(e => e.name !== 'LEGACY_LOOKUP_FAILED')
  const dir = t.testdir({ 'old.json': JSON.stringify(base), 'new.json': JSON.stringify(changed) })
  const run = await spawnCli(['diff', 'old.json', 'new.json'], { cwd: dir })
  t.equal(run.code, 1)
  t.equal(run.stdout, `errcodes diff old.json → new.json: 2 breaking changes, 1 non-breaking change

Breaking:
  ✗ [code-removed] LEGACY_LOOKUP_FAILED (320) was removed
  ✗ [status-changed] CARD_DECLINED (601) changed its status from 402 to 400

Non-breaking:
  · [message-changed] CARD_DECLINED (601) changed its message: "Card declined" → "Declined"

Clients written against the old catalog may break. Keep the old codes (deprecate them) or release a new major version.
`)
})

t.test('--baseline compares a committed export with the current catalog of a module', async t => {
  const dir = t.testdir({})
  const exported = await spawnCli(['export', 'catalog.mjs', '--out', join(dir, 'baseline.json')])
  t.equal(exported.code, 0, exported.stderr)
  const same = await spawnCli(['diff', '--baseline', join(dir, 'baseline.json'), 'catalog.mjs'])
  t.equal(same.code, 0, same.stdout + same.stderr)
  t.match(same.stdout, '0 breaking changes, 0 non-breaking changes', 'an export round-trips without spurious changes')

  // The committed baseline knows a code the current catalog no longer has.
  const committed = JSON.parse(await readFile(join(dir, 'baseline.json'), 'utf8')) as Exported
  committed.errors.push({ ...entry(committed, 'CARD_DECLINED'), name: 'CARD_STOLEN', code: 650 })
  await writeFile(join(dir, 'baseline.json'), JSON.stringify(committed))
  const broken = await spawnCli(['diff', `--baseline=${join(dir, 'baseline.json')}`, 'catalog.mjs', '--json'])
  t.equal(broken.code, 1)
  t.match(JSON.parse(broken.stdout).breaking, [{ kind: 'code-removed', name: 'CARD_STOLEN', code: 650 }])

  const withBuiltins = await spawnCli(['export', 'catalog.mjs', '--builtins', '--out', join(dir, 'full.json')])
  t.equal(withBuiltins.code, 0, withBuiltins.stderr)
  const full = await spawnCli(['diff', '--baseline', join(dir, 'full.json'), 'catalog.mjs', '--builtins', '--json'])
  t.equal(full.code, 0, full.stdout)
  t.same(JSON.parse(full.stdout), { breaking: [], nonBreaking: [] })
  const forgotten = await spawnCli(['diff', '--baseline', join(dir, 'full.json'), 'catalog.mjs', '--json'])
  t.equal(forgotten.code, 1, 'a baseline with built-ins compared without --builtins loses them')
  t.equal(JSON.parse(forgotten.stdout).breaking.filter((c: { kind: string }) => c.kind === 'code-removed').length, 16)

  const missing = await spawnCli(['diff', '--baseline', join(dir, 'baseline.json')])
  t.equal(missing.code, 2)
  t.match(missing.stderr, 'missing <module>')
})

t.test('the report shows changed values, long ones cut at 80 characters', async t => {
  const changed = structuredClone(base)
  entry(changed, 'LEDGER_UNAVAILABLE').retryAfter = 60
  entry(changed, 'CARD_DECLINED').message = 'Declined: ' + 'y'.repeat(200)
  const dir = t.testdir({ 'old.json': JSON.stringify(base), 'new.json': JSON.stringify(changed) })
  const run = await spawnCli(['diff', 'old.json', 'new.json'], { cwd: dir })
  t.equal(run.code, 0, run.stderr)
  t.match(run.stdout, 'LEDGER_UNAVAILABLE (550) changed its Retry-After: 30 → 60')
  t.match(run.stdout, `CARD_DECLINED (601) changed its message: "Card declined" → "Declined: ${'y'.repeat(68)}…\n`)
})

t.test('an export saved with a byte order mark reads like one without', async t => {
  const changed = structuredClone(base)
  entry(changed, 'CARD_DECLINED').status = 400
  const dir = t.testdir({ 'old.json': '\ufeff' + JSON.stringify(base), 'new.json': '\ufeff' + JSON.stringify(changed) })
  const run = await spawnCli(['diff', 'old.json', 'new.json', '--json'], { cwd: dir })
  t.equal(run.code, 1, run.stderr)
  t.same(JSON.parse(run.stdout).breaking.map((c: { kind: string }) => c.kind), ['status-changed'])
})
