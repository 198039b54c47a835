import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { checkBuilt, compare, formatReport, loadAllowList, runSuite, type AllowList } from './fixtures/run-suite.mjs'

// The harness itself: that it sees a difference, that an allow-list entry covers only what its
// reason allows, and that a malformed list is refused. One real run of a small Fastify file.
checkBuilt()
const shipped = loadAllowList()
const run = await runSuite({ files: ['500s.test.js'] })
const empty: AllowList = { reasons: shipped.reasons, byDesign: [], knownBugs: [] }

t.test('without an allow-list, every difference is a regression the report names', async t => {
  const result = compare(run, empty)
  t.ok(result.counts.bareAssertions > 50, 'the bare run counted its assertions')
  t.ok(result.regressions.length > 0, 'the plugin changes some of them')
  const body = result.regressions.find(d => d.test === 'default 500' && d.line === 25)
  t.match(body, { kind: 'assertion', file: '500s.test.js', method: 'deepStrictEqual', verdict: 'hidden-5xx' }, 'the default 500 body differs, judged as hidden 5xx text')
  t.match(formatReport(run, result), /REGRESSION 500s\.test\.js › default 500\n {2}assertion at line 25 \(deepStrictEqual\) \[hidden-5xx\]:/)
})

t.test('the shipped allow-list covers this file exactly', async t => {
  const result = compare(run, shipped)
  t.same(result.regressions, [])
  t.same(result.stale, [], 'no entry of this file is stale')
})

t.test('a reason covers only the verdicts it lists', async t => {
  const asShape: AllowList = { ...empty, byDesign: [{ file: '500s.test.js', test: 'default 500', line: 25, reason: 'body-shape' }] }
  const result = compare(run, asShape)
  t.ok(result.regressions.some(d => d.test === 'default 500' && d.line === 25), 'a body-shape entry does not cover hidden 5xx text')
  t.equal(result.stale.length, 1, 'and is reported as matching nothing')
})

t.test('a by-design entry never covers a changed status, a known bug does', async t => {
  // The same run, with the plugin's answer judged as a status change (what runFile records when
  // the plugin's status differs from Fastify's).
  const changed = structuredClone(run)
  for (const r of changed.results) {
    if (r.mode !== 'plugin') continue
    for (const a of r.assertions) if (a.test === 'default 500' && a.line === 25) a.verdict = 'status-differs'
  }
  const entry = { file: '500s.test.js', test: 'default 500', reason: 'hidden-5xx' }
  const byDesign = compare(changed, { ...empty, byDesign: [entry] })
  t.ok(byDesign.regressions.some(d => d.line === 25 && d.verdict === 'status-differs'), 'not covered by design, even by a whole-test entry')
  const known = compare(changed, { ...empty, knownBugs: [{ ...entry, reason: 'bug-status', item: '#19 item 1' }] })
  t.notOk(known.regressions.some(d => d.line === 25), 'covered as a known bug')
  t.equal(known.counts.allowedKnownBugs > 0, true)
})

t.test('a malformed allow-list is refused with what is missing', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'errcodes-allow-'))
  const write = (list: unknown): string => { const f = join(dir, 'list.json'); writeFileSync(f, JSON.stringify(list)); return f }
  t.throws(() => loadAllowList(write({ reasons: {}, byDesign: {}, knownBugs: [] })), new TypeError('allow-list: "byDesign" must be an array'))
  t.throws(() => loadAllowList(write({ reasons: {}, byDesign: [{ file: 'a', test: 'b', reason: 'nope' }], knownBugs: [] })), /needs file, test and a reason from "reasons"/)
  t.throws(() => loadAllowList(write({ reasons: { r: { text: 'x' } }, byDesign: [], knownBugs: [{ file: 'a', test: 'b', reason: 'r' }] })), /needs the issue "item"/)
})
