import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from './workspace-packages.js'

// The coverage gate (scripts/coverage-gate.js) counts what is not excluded, so every exclusion must
// say why the code cannot run in the suite: `/* c8 ignore next: <reason> */`,
// `/* c8 ignore next 3: <reason> */`, `/* c8 ignore start: <reason> */` … `/* c8 ignore stop */`.

const COMMENT = /\/\*\s*(?:[cv]8|istanbul|node:coverage)\b[^*]*(?:\*(?!\/)[^*]*)*\*\//g
const WITH_REASON = /^\/\* [cv]8 ignore (?:next(?: \d+)?|start): \S.{9,}\*\/$/s
const STOP = /^\/\* [cv]8 ignore stop \*\/$/

/** The problems of one source text's coverage exclusions, one line each. */
export function ignoreProblems (file: string, text: string): string[] {
  const problems: string[] = []
  let open: number | undefined
  for (const match of text.matchAll(COMMENT)) {
    const comment = match[0]
    const line = text.slice(0, match.index).split('\n').length
    if (STOP.test(comment)) {
      if (open === undefined) problems.push(`${file}:${line}: c8 ignore stop without a start`)
      open = undefined
    } else if (!WITH_REASON.test(comment)) {
      problems.push(`${file}:${line}: ${comment.slice(0, 60)} needs the form "c8 ignore next|start: <reason of 10+ characters>"`)
    } else if (/ignore start/.test(comment)) {
      if (open !== undefined) problems.push(`${file}:${line}: c8 ignore start inside the one of line ${open}`)
      open = line
    }
  }
  if (open !== undefined) problems.push(`${file}:${open}: c8 ignore start without a stop`)
  return problems
}

function sources (dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const path = join(dir, e.name)
    if (e.isDirectory()) return sources(path)
    return /\.(?:ts|js|mjs|cjs)$/.test(e.name) ? [path] : []
  })
}

t.test('every coverage exclusion in packages/*/src carries a reason', async t => {
  const root = join(ROOT, 'packages')
  const files = readdirSync(root).flatMap(p => { try { return sources(join(root, p, 'src')) } catch { return [] } })
  t.ok(files.length > 50, `${files.length} source files read`)
  const problems = files.flatMap(f => ignoreProblems(relative(ROOT, f), readFileSync(f, 'utf8')))
  t.same(problems, [])
})

t.test('the check refuses bare, unsupported and unbalanced exclusions', async t => {
  t.same(ignoreProblems('a.ts', '/* c8 ignore next: Node 20 never gets here */\nx()\n/* c8 ignore start: a platform fallback only */\ny()\n/* c8 ignore stop */\n'), [])
  t.same(ignoreProblems('a.ts', 'x()\n/* c8 ignore next */\ny()'), ['a.ts:2: /* c8 ignore next */ needs the form "c8 ignore next|start: <reason of 10+ characters>"'])
  t.equal(ignoreProblems('a.ts', '/* c8 ignore next 2: short */').length, 1, 'a reason says something')
  t.equal(ignoreProblems('a.ts', '/* istanbul ignore next */').length, 1, 'only c8/v8 comments are read by the report')
  t.same(ignoreProblems('a.ts', '/* c8 ignore start: a platform fallback only */\n'), ['a.ts:1: c8 ignore start without a stop'])
  t.same(ignoreProblems('a.ts', '\n/* c8 ignore stop */'), ['a.ts:2: c8 ignore stop without a start'])
})
