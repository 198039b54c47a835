// Tabulates the profiles `--profile-rounds DIR` wrote: self CPU time in µs per request, by package or by
// function, one column per profile, so that two variants' paths can be read side by side.
//   node bench/src/profile-table.js DIR [--by package|function] [--top N] [VARIANT.PATH ...]
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const USAGE = 'Usage: pnpm bench:profile -- DIR [--by package|function] [--top N] [VARIANT.PATH ...]'
// The repository's root as a file URL: workspace packages are its packages/<name>/ folders.
const ROOT = new URL('../../', import.meta.url).href

/**
 * Self time per request of each row key in one profile. Samples of `(idle)` are the process waiting
 * (between its rounds, or for the network): they are left out, everything else is the process at work.
 * The first sample's delta is the time from the profiler's start to that sample (V8 setting the profiler
 * up, 50–170 ms), not the sampled frame's: it is left out too.
 */
export function selfTimePerRequest (profile, requests, by) {
  const nodes = new Map(profile.nodes.map(node => [node.id, node]))
  const root = rootOf(profile)
  const rows = new Map()
  for (let i = 1; i < profile.samples.length; i++) {
    const frame = nodes.get(profile.samples[i]).callFrame
    if (frame.functionName === '(idle)') continue
    const key = by === 'function' ? functionOf(frame, root) : packageOf(frame, root)
    rows.set(key, (rows.get(key) ?? 0) + profile.timeDeltas[i] / requests)
  }
  return rows
}

/** The checkout the profiled server ran from (its bench/src/server.js), which may be another than this one. */
function rootOf (profile) {
  for (const node of profile.nodes) {
    const match = /^(file:\/\/.*\/)bench\/src\/server\.js$/.exec(node.callFrame.url)
    if (match !== null) return match[1]
  }
  return ROOT
}

/**
 * `@scope/name` or `name` of the innermost node_modules package; a workspace package by its name; Node's
 * own modules by module; the rest of the repository by folder.
 */
export function packageOf ({ url, functionName, scriptId }, root = ROOT) {
  const modules = url.lastIndexOf('/node_modules/')
  if (modules !== -1) {
    const [first, second] = url.slice(modules + 14).split('/')
    return first.startsWith('@') ? `${first}/${second}` : first
  }
  if (url.startsWith('node:')) return url.split('/')[0].replace(/^node:internal$/, 'node:internal (streams, timers, …)')
  if (url.startsWith(root)) {
    const [folder, name] = url.slice(root.length).split('/')
    if (folder === 'packages') return `@errcodes/${name}`
    if (folder === 'bench') return 'bench (the route handlers)'
    return folder
  }
  if (url !== '') return url
  // No url: V8 itself and native code (script 0) by name, or JavaScript compiled at run time (new Function:
  // find-my-way's matcher, TypeBox's checks).
  if (String(scriptId) !== '0') return `generated code ${functionName || '(anonymous)'}`
  return functionName.startsWith('(') ? functionName : `native ${functionName || '(anonymous)'}`
}

function functionOf (frame, root) {
  if (frame.url === '') return packageOf(frame, root)
  return `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1} [${packageOf(frame, root)}]`
}

// What the harness names a profile: VARIANT[-K].PATH. Anything else (a path, `..`) is not one of its files.
const PROFILE_NAME = /^[a-z0-9][a-z0-9-]*\.[a-z]+$/

/** Reads a JSON file the harness wrote; an error names the file. */
function readJson (file) {
  let text
  try {
    text = readFileSync(file, 'utf8')
  } catch (err) {
    throw new Error(`cannot read ${file} (${err.code ?? err.message})`)
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new Error(`${file} is not JSON (${err.message})`)
  }
}

/** requests.json: profile names to the requests each profiled process answered. */
function readRequests (dir) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir} is not a folder`)
  const file = join(dir, 'requests.json')
  if (!existsSync(file) && readdirSync(dir).some(entry => entry.startsWith('invocation-'))) {
    throw new Error(`no requests.json in ${dir}: with --invocations each invocation has its own folder (${dir}/invocation-1, …)`)
  }
  const requests = readJson(file)
  if (requests === null || typeof requests !== 'object' || Array.isArray(requests) || Object.keys(requests).length === 0) {
    throw new Error(`${file} names no profiles (it should map VARIANT.PATH to a request count, as --profile-rounds writes it)`)
  }
  for (const [name, count] of Object.entries(requests)) {
    if (!PROFILE_NAME.test(name)) throw new Error(`${file}: "${name}" is not a profile name (VARIANT.PATH)`)
    if (!Number.isSafeInteger(count) || count <= 0) throw new Error(`${file}: the request count of "${name}" is not a whole number above 0 (${JSON.stringify(count)})`)
  }
  return requests
}

/** A V8 CPU profile with as many time deltas as samples, each a number; an error names the file. */
function readProfile (file) {
  const profile = readJson(file)
  const valid = profile !== null && typeof profile === 'object' && Array.isArray(profile.nodes) && Array.isArray(profile.samples) &&
    Array.isArray(profile.timeDeltas) && profile.samples.length === profile.timeDeltas.length &&
    profile.timeDeltas.every(delta => typeof delta === 'number' && Number.isFinite(delta)) &&
    profile.nodes.every(node => typeof node?.callFrame?.url === 'string' && typeof node.callFrame.functionName === 'string')
  if (!valid) throw new Error(`${file} is not a V8 CPU profile (nodes with call frames, samples and as many time deltas)`)
  const ids = new Set(profile.nodes.map(node => node.id))
  if (!profile.samples.every(id => ids.has(id))) throw new Error(`${file} samples a node it does not have`)
  if (profile.samples.length < 2) throw new Error(`${file} has no samples of the rounds`)
  return profile
}

/** The markdown table: a `busy` row, then the rows that differ most between the first and last column (or are largest, with one column). */
export function profileTable (dir, { by = 'package', top = 25, names } = {}) {
  const requests = readRequests(dir)
  const chosen = names?.length ? names : Object.keys(requests)
  const columns = chosen.map((name) => {
    if (!Object.hasOwn(requests, name)) throw new Error(`no profile "${name}" in ${dir} (${Object.keys(requests).join(', ')})`)
    return selfTimePerRequest(readProfile(join(dir, `${name}.cpuprofile`)), requests[name], by)
  })
  const keys = [...new Set(columns.flatMap(column => [...column.keys()]))]
  const value = (column, key) => column.get(key) ?? 0
  const first = columns[0]
  const last = columns[columns.length - 1]
  const weight = (key) => columns.length === 1 ? value(first, key) : Math.abs(value(last, key) - value(first, key))
  keys.sort((a, b) => weight(b) - weight(a))
  const busy = columns.map(column => [...column.values()].reduce((sum, x) => sum + x, 0))
  const diff = columns.length > 1
  const lines = [
    `| ${by} | ${chosen.join(' | ')} |${diff ? ' last − first |' : ''}`,
    `|---|${chosen.map(() => '---:').join('|')}|${diff ? '---:|' : ''}`,
    `| **busy (every sample but idle)** | ${busy.map(x => `**${x.toFixed(2)}**`).join(' | ')} |${diff ? ` **${(busy[busy.length - 1] - busy[0]).toFixed(2)}** |` : ''}`
  ]
  for (const key of keys.slice(0, top)) {
    const cells = columns.map(column => value(column, key).toFixed(2))
    lines.push(`| ${key.replaceAll('|', '\\|')} | ${cells.join(' | ')} |${diff ? ` ${(value(last, key) - value(first, key)).toFixed(2)} |` : ''}`)
  }
  return `Self CPU time in µs per request (profiled rounds only; ${Object.keys(requests).length} profiles in ${dir}):\n\n${lines.join('\n')}\n`
}

function main (argv) {
  const options = { by: 'package', top: 25, names: [] }
  let dir
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    // pnpm passes the `--` of `pnpm bench:profile -- DIR` through.
    if (arg === '--') continue
    if (arg === '--help') { console.log(USAGE); return 0 }
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined]
    if (name === '--by' || name === '--top') {
      const value = inline ?? argv[++i]
      if (value === undefined || value === '') return usage(`${name} needs a value`)
      if (name === '--by' && value !== 'package' && value !== 'function') return usage(`--by takes package or function, not ${value}`)
      if (name === '--top' && !/^[1-9]\d{0,5}$/.test(value)) return usage(`--top takes a whole number from 1 to 999999 in plain digits, not ${value}`)
      options[name.slice(2)] = name === '--top' ? Number(value) : value
    } else if (arg.startsWith('-')) return usage(`unknown option ${arg}`)
    else if (dir === undefined) dir = arg
    else options.names.push(arg)
  }
  if (dir === undefined) return usage('no folder given')
  try {
    console.log(profileTable(dir, options))
    return 0
  } catch (err) {
    console.error(`profile-table: ${err.message}`)
    return 1
  }
}

function usage (problem) {
  console.error(`profile-table: ${problem}\n${USAGE}`)
  return 2
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main(process.argv.slice(2))
