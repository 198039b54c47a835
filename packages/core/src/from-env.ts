import { closestKey, rejectUnknownKeys } from './option-keys.js'
import { TOP_KEYS } from './check-overrides.js'
import { ENV_VARIABLES } from './env-variables.js'
import { preset, type ConfigOverrides, type ErrcodesConfig, type PresetName } from './presets.js'

/** What the code sets before the environment: the preset when `ERRCODES_PRESET` is unset, and overrides. */
export interface FromEnvDefaults extends ConfigOverrides {
  /** The preset when `ERRCODES_PRESET` is unset. Default `production`. */
  readonly preset?: PresetName
}

type Env = Readonly<Record<string, string | undefined>>
type Tree = Record<string, unknown>

const KNOWN = new Set(ENV_VARIABLES.map(v => v.name))
const SUFFIXES = ENV_VARIABLES.map(v => v.name.slice('ERRCODES_'.length))

/**
 * A configuration for every package from `ERRCODES_*` variables (the README's table): the preset named by
 * `ERRCODES_PRESET` (else `defaults.preset`, else production), then `defaults`, then each variable set.
 * A bad value throws a TypeError naming the variable and what it accepts (a secret's value is never
 * quoted). A variable that looks like a misspelt one (`ERRCODES_METRICS_ENABLE`) is a process warning
 * (`ERRCODES_ENV_TYPO`) naming the closest; other `ERRCODES_*` names are left to the tools that own them.
 */
export function fromEnv (env: Env = process.env, defaults: FromEnvDefaults = {}): ErrcodesConfig {
  if (typeof env !== 'object' || env === null) throw new TypeError('fromEnv: env must be an object of variables such as process.env')
  if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) throw new TypeError('fromEnv: defaults must be an object such as { preset: \'development\' }')
  // Checked here (not only by the preset) so `presett` suggests `preset`.
  rejectUnknownKeys('fromEnv', defaults, ['preset', ...TOP_KEYS])
  const { preset: fallbackPreset, ...codeOverrides } = defaults
  if (fallbackPreset !== undefined && !['development', 'production', 'testing', 'disabled'].includes(fallbackPreset)) {
    throw new TypeError('fromEnv: option "preset" must be development, production, testing or disabled')
  }
  warnTypos(env)
  const set: Tree = {}
  let name: PresetName = fallbackPreset ?? 'production'
  const given = new Set<string>()
  for (const variable of ENV_VARIABLES) {
    const text = env[variable.name]
    if (text === undefined || text === '') continue
    const value = variable.parse(text)
    if (value === undefined) {
      const shown = variable.secret === true ? '(value not shown: it may hold a secret)' : `(got ${JSON.stringify(text.slice(0, 32))})`
      throw new TypeError(`fromEnv: ${variable.name} must be ${variable.accepts} ${shown}`)
    }
    given.add(variable.name)
    for (const path of variable.sets) {
      if (path === 'preset') name = value as PresetName
      else put(set, path, value)
    }
  }
  const merged = mergeOverrides(codeOverrides, set, given, env, name)
  return preset(name, merged, 'fromEnv')
}

// Code defaults, then the variables key by key (two levels deep: `metrics.sentry.dsn` keeps the code's `sentry.release`).
function mergeOverrides (code: ConfigOverrides, set: Tree, given: Set<string>, env: Env, name: PresetName): ConfigOverrides {
  const out: Tree = { ...code }
  for (const [key, value] of Object.entries(set)) {
    const before = (code as Tree)[key]
    out[key] = isTree(value) && isTree(before) ? mergeTree(before, value) : value
  }
  if (!given.has('ERRCODES_SENTRY_DSN') && code.metrics?.sentry === undefined && isTree(out.metrics)) {
    // No Sentry without a DSN (a client is added in code, which then sets metrics.sentry in `defaults`).
    const lonely = ['ERRCODES_SENTRY_SAMPLE_RATE', 'ERRCODES_SENTRY_REPORT_4XX'].find(n => given.has(n))
    if (lonely !== undefined) throw new TypeError(`fromEnv: ${lonely} needs ERRCODES_SENTRY_DSN (Sentry is configured by its DSN)`)
    // ERRCODES_SERVICE_VERSION and ERRCODES_ENVIRONMENT then only reach tracing.
    out.metrics = Object.fromEntries(Object.entries(out.metrics).filter(([key]) => key !== 'sentry'))
  }
  // A URL with another exporter is refused by createTracing without naming a variable: name them here.
  if (given.has('ERRCODES_TRACING_URL')) {
    const exporter = (out.tracing as Tree | undefined)?.exporter
    if (exporter !== undefined && exporter !== 'otlp') {
      const source = given.has('ERRCODES_TRACING_EXPORTER') ? `ERRCODES_TRACING_EXPORTER=${String(exporter)}` : `tracing.exporter "${String(exporter)}" in the defaults`
      throw new TypeError(`fromEnv: ERRCODES_TRACING_URL applies only to the otlp exporter, and ${source}; unset one of them`)
    }
  }
  // Debug keeps every stack unless the stack policy itself is set (the behaviour before the variables grew).
  if (set.debug === true && set.stackTraces === undefined && code.stackTraces === undefined) out.stackTraces = 'all'
  const tracing = { ...(out.tracing as Tree | undefined) }
  if (tracing.exporter === undefined && (code.tracing?.exporter === undefined)) {
    // In development the standard OTLP endpoint variable means "send there" (a URL does in every preset).
    const otlpEnv = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) || nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT)
    if (name === 'development' && otlpEnv) out.tracing = { ...tracing, exporter: 'otlp' }
  }
  return out as ConfigOverrides
}

function mergeTree (a: Tree, b: Tree): Tree {
  const out: Tree = { ...a }
  for (const [k, v] of Object.entries(b)) out[k] = isTree(v) && isTree(a[k]) ? mergeTree(a[k], v) : v
  return out
}

function put (tree: Tree, path: string, value: unknown): void {
  const keys = path.split('.')
  let at = tree
  for (const key of keys.slice(0, -1)) at = (at[key] ??= {}) as Tree
  at[keys[keys.length - 1]] = value
}

function warnTypos (env: Env): void {
  for (const key of Object.keys(env)) {
    if (!key.startsWith('ERRCODES_') || KNOWN.has(key)) continue
    const near = closestKey(key.slice('ERRCODES_'.length), SUFFIXES)
    if (near === undefined) continue
    const proc = globalThis.process as { emitWarning?: (message: string, options: { code: string }) => void } | undefined
    proc?.emitWarning?.(`fromEnv: unknown variable ${key.slice(0, 64)}; did you mean ERRCODES_${near}? (it is ignored)`, { code: 'ERRCODES_ENV_TYPO' })
  }
}

function isTree (value: unknown): value is Tree {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function nonEmpty (value: string | undefined): boolean {
  return value !== undefined && value !== ''
}
