import type { Static, TSchema } from '@sinclair/typebox'
import { AppError, isAppError, type Severity } from './app-error.js'
import { compileMessage, placeholdersOf, type CompiledMessage } from './message-template.js'
import { isCode, type Domain } from './domain.js'
import { capturesStack, defaultStackTraces, type StackTraces } from './stack-policy.js'
import type { ValidationIssue } from './validation-issues.js'
import { createOccurrenceCheck, defaultCheckMode, type CheckMode, type OccurrenceCheck } from './occurrence-check.js'
import { carriesIssues, carriesRetryAfter } from './schemas.js'
import { closestKey, rejectUnknownKeys } from './option-keys.js'

/** One entry as a user writes it in `defineErrors({ NAME: { … } })`. */
export interface ErrorDefinition {
  /** Numeric code 0–9999, inside the domain's range. */
  readonly code: number
  /** A predefined domain name (`'RESOURCE'`) or a domain from `defineDomain`. */
  readonly domain: string | Domain
  /** HTTP status, 400–599. */
  readonly status: number
  /** Default English message, ICU syntax: `'User {userId} not found'`. */
  readonly message: string
  /** Key of the message in locale files; defaults to `errors.<name in lower case>`. */
  readonly messageKey?: string
  /** Short constant summary (RFC 9457 `title`); defaults to the name in words. */
  readonly title?: string
  /** TypeBox schema of the message params; every `{placeholder}` must be one of its properties. */
  readonly params?: TSchema
  /** TypeBox schema of the structured detail sent to the client. */
  readonly detail?: TSchema
  /** Defaults to `high` for 5xx and `low` for 4xx. */
  readonly severity?: Severity
  /** Headers added to every response of this entry. */
  readonly headers?: Readonly<Record<string, string>>
  /** Whether message and detail reach the client; defaults to true for 4xx and false for 5xx. */
  readonly expose?: boolean
  /** Seconds for `Retry-After`. */
  readonly retryAfter?: number
  /** Longer explanation for generated docs. */
  readonly description?: string
  /** Marks the entry as deprecated in docs; a string says what to use instead. */
  readonly deprecated?: boolean | string
  /** Capture a stack trace in `create()`. Default: from the catalog's `stackTraces` policy. */
  readonly captureStack?: boolean
}

/** Options of one occurrence (`entry.create(params, options)`). */
export interface CreateOptions<Detail = unknown> {
  readonly detail?: Detail
  readonly cause?: unknown
  readonly headers?: Readonly<Record<string, string>>
  /** Overrides the entry's `retryAfter` for this occurrence. */
  readonly retryAfter?: number
  /** Field-level problems (validation failures). */
  readonly issues?: readonly ValidationIssue[]
}

/** The params `create()` requires for a definition: the Static type of its `params` schema. */
export type ParamsOf<Def> = Def extends { readonly params: infer S extends TSchema } ? Static<S> : undefined
/** The detail type of a definition: the Static type of its `detail` schema. */
export type DetailOf<Def> = Def extends { readonly detail: infer S extends TSchema } ? Static<S> : Readonly<Record<string, unknown>>

/** `create()`'s arguments: params are required exactly when the entry declares required params. */
export type CreateArgs<Def> = ParamsOf<Def> extends undefined
  ? [params?: undefined | Readonly<Record<string, never>>, options?: CreateOptions<DetailOf<Def>>]
  : {} extends ParamsOf<Def>
      ? [params?: ParamsOf<Def>, options?: CreateOptions<DetailOf<Def>>]
      : [params: ParamsOf<Def>, options?: CreateOptions<DetailOf<Def>>]

/** A resolved catalog entry: its data, plus `create()` and `is()`. */
export interface ErrorEntry<Name extends string = string, Def = ErrorDefinition> {
  readonly name: Name
  readonly code: number
  readonly domain: string
  readonly status: number
  readonly message: string
  readonly messageKey: string
  readonly title: string
  readonly params: TSchema | undefined
  readonly detail: TSchema | undefined
  readonly severity: Severity
  readonly headers: Readonly<Record<string, string>>
  readonly expose: boolean
  readonly retryAfter: number | undefined
  readonly description: string | undefined
  readonly deprecated: boolean | string
  /** Whether `create()` captures a stack trace (the entry's `captureStack`, else the catalog's policy). */
  readonly captureStack: boolean
  /** Argument names used by `message`. */
  readonly placeholders: readonly string[]
  /** Builds an AppError of this entry. Params are type-checked against the entry's schema. */
  create (...args: CreateArgs<Def>): AppError<Name>
  /** Type guard: `err` is an AppError of this entry (works across installed copies). */
  is (err: unknown): err is AppError<Name>
  /** Renders the English message for `params`. */
  render (params: Readonly<Record<string, unknown>> | undefined): string
}

const NAME = /^[A-Z][A-Z0-9_]{0,62}$/
const RESERVED = new Set(['__proto__', 'constructor', 'prototype'])
const SEVERITIES = new Set<string>(['low', 'medium', 'high', 'critical'])
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,64}$/
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]{0,1024}$/

/** Checks one definition and resolves it; every mistake throws a TypeError naming the entry. */
export function createEntry<Name extends string, Def extends ErrorDefinition> (name: Name, def: Def, domainOf: (d: string | Domain) => Domain | undefined, stackTraces: StackTraces = defaultStackTraces(), check: CheckMode = defaultCheckMode()): ErrorEntry<Name, Def> {
  const fail = (what: string): never => { throw new TypeError(`error ${name}: ${what}`) }
  if (RESERVED.has(name)) fail('the name is reserved')
  if (!NAME.test(name)) fail('the name must be UPPER_SNAKE (A–Z, 0–9, _), at most 63 characters')
  if (typeof def !== 'object' || def === null) fail('the definition must be an object')
  // A misspelled key (`captureStak`, `exposee`) would silently leave the default in place.
  for (const key of Object.keys(def)) {
    if (DEFINITION_KEYS.includes(key)) continue
    const near = closestKey(key, DEFINITION_KEYS)
    fail(`unknown key ${JSON.stringify(key.slice(0, 64))}${near === undefined ? '' : `; did you mean ${JSON.stringify(near)}?`} (valid: ${DEFINITION_KEYS.join(', ')})`)
  }
  if (!isCode(def.code)) fail(`code must be an integer 0–9999 (got ${String(def.code)})`)
  const domain = domainOf(def.domain)
  if (domain === undefined) fail(`unknown domain ${typeof def.domain === 'string' ? def.domain : String((def.domain as Domain)?.name)}`)
  const d = domain as Domain
  if (def.code < d.from || def.code > d.to) fail(`code ${def.code} is outside domain ${d.name} (${d.from}–${d.to})`)
  if (!Number.isInteger(def.status) || def.status < 400 || def.status > 599) fail(`status must be an integer 400–599 (got ${String(def.status)})`)
  if (typeof def.message !== 'string' || def.message === '') fail('message must be a non-empty string')
  if (def.title !== undefined && (typeof def.title !== 'string' || def.title === '')) fail('title must be a non-empty string')
  if (def.description !== undefined && typeof def.description !== 'string') fail('description must be a string')
  if (def.deprecated !== undefined && typeof def.deprecated !== 'boolean' && typeof def.deprecated !== 'string') fail('deprecated must be a boolean or a string')
  if (def.params !== undefined && !isObjectSchema(def.params)) fail('params must be a TypeBox object schema')
  if (def.detail !== undefined && (typeof def.detail !== 'object' || def.detail === null)) fail('detail must be a TypeBox schema')
  let placeholders: string[] = []
  let compiled: CompiledMessage = () => def.message
  try {
    placeholders = placeholdersOf(def.message)
    compiled = compileMessage(def.message)
  } catch (err) {
    fail(`message is not valid ICU syntax (${(err as Error).message})`)
  }
  const declared = paramNames(def.params)
  for (const p of placeholders) {
    if (RESERVED.has(p)) fail(`placeholder {${p}} is reserved`)
    if (!declared.has(p)) fail(`placeholder {${p}} is not declared in params`)
  }
  for (const p of declared) if (RESERVED.has(p)) fail(`param ${p} is reserved`)
  if (def.messageKey !== undefined && (typeof def.messageKey !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(def.messageKey) || def.messageKey.split('.').some(s => RESERVED.has(s) || s === ''))) {
    fail('messageKey must be dot-separated words without reserved segments')
  }
  if (def.severity !== undefined && !SEVERITIES.has(def.severity)) fail('severity must be low, medium, high or critical')
  if (def.expose !== undefined && typeof def.expose !== 'boolean') fail('expose must be a boolean')
  if (def.retryAfter !== undefined && (!Number.isInteger(def.retryAfter) || def.retryAfter < 0)) fail('retryAfter must be a whole number of seconds')
  if (def.captureStack !== undefined && typeof def.captureStack !== 'boolean') fail('captureStack must be a boolean')
  const captureStack = capturesStack(stackTraces, def.status, def.captureStack)
  const headers = checkHeaders(def.headers, fail)
  const occurrence = createOccurrenceCheck(name, def.params, def.detail, check)

  const entry: ErrorEntry<Name, Def> = {
    name,
    code: def.code,
    domain: d.name,
    status: def.status,
    message: def.message,
    messageKey: def.messageKey ?? `errors.${name.toLowerCase()}`,
    title: def.title ?? titleOf(name),
    params: def.params,
    detail: def.detail,
    severity: def.severity ?? (def.status >= 500 ? 'high' : 'low'),
    headers,
    expose: def.expose ?? def.status < 500,
    retryAfter: def.retryAfter,
    description: def.description,
    deprecated: def.deprecated ?? false,
    captureStack,
    placeholders: Object.freeze(placeholders),
    create (...args: CreateArgs<Def>): AppError<Name> {
      const options = (args[1] ?? {}) as CreateOptions
      // A typo (`cuase`) would silently drop the option; checked like params (`clean` mode ignores it).
      if (check === 'throw' && args[1] !== undefined) checkCreateKeys(name, args[1])
      // Params and detail as the entry declares them, whatever a JavaScript caller or a cast passed.
      let checked: ReturnType<OccurrenceCheck>
      let extras: ReturnType<typeof checkExtras>
      try {
        checked = occurrence((args[0] ?? undefined) as Readonly<Record<string, unknown>> | undefined, options.detail)
        extras = checkExtras(entry, options, check)
      } catch (err) {
        // The stack starts at the throw site, as the AppError's would.
        Error.captureStackTrace(err as Error, entry.create)
        throw err
      }
      const { params, detail } = checked
      // Skip the constructor's stack capture and capture from the caller, so the top frame is the throw
      // site; an entry without stacks keeps only the header line (`NAME: message`), which costs nothing.
      const limit = Error.stackTraceLimit
      Error.stackTraceLimit = 0
      const err = new AppError<Name>({
        entry,
        message: compiled(params),
        params,
        detail,
        headers: options.headers === undefined ? undefined : checkHeaders(options.headers, () => undefined as never),
        cause: options.cause,
        issues: extras.issues,
        retryAfter: extras.retryAfter
      })
      Error.stackTraceLimit = limit
      if (captureStack) Error.captureStackTrace(err, entry.create)
      return err
    },
    is (err: unknown): err is AppError<Name> {
      return isAppError(err) && err.code === name && err.errorCode === def.code
    },
    render: compiled
  }
  return Object.freeze(entry)
}

/** Every key of an entry definition (the core README's options table is checked against it). */
export const DEFINITION_KEYS: readonly string[] = ['code', 'domain', 'status', 'message', 'messageKey', 'title', 'params', 'detail', 'severity', 'headers', 'expose', 'retryAfter', 'description', 'deprecated', 'captureStack'] satisfies ReadonlyArray<keyof ErrorDefinition>
/** Every option of `entry.create()`. */
export const CREATE_KEYS: ReadonlyArray<keyof CreateOptions> = ['detail', 'cause', 'headers', 'retryAfter', 'issues']

// Runs on every create() with options: a for-in and a switch, no allocation unless a key is unknown.
function checkCreateKeys (name: string, options: object): void {
  if (typeof options !== 'object' || options === null) return
  for (const key in options) {
    switch (key) {
      case 'detail': case 'cause': case 'headers': case 'retryAfter': case 'issues': continue
    }
    rejectUnknownKeys(`${name}.create`, options, CREATE_KEYS)
  }
}

/**
 * `issues` and `retryAfter` of one occurrence, kept only where the entry's documented body has them:
 * field problems on validation codes, `retry_after` where it can be set. Elsewhere: a TypeError in
 * `throw` mode, dropped in `clean` mode.
 */
function checkExtras (entry: ErrorEntry, options: CreateOptions, mode: CheckMode): { issues: CreateOptions['issues'], retryAfter: number | undefined } {
  let { issues, retryAfter } = options
  if (issues !== undefined && issues.length > 0 && !carriesIssues(entry)) {
    if (mode === 'throw') throw new TypeError(`error ${entry.name}: issues are documented only for validation codes (domain VALIDATION)`)
    issues = undefined
  }
  if (retryAfter !== undefined && (!Number.isInteger(retryAfter) || retryAfter < 0 || !carriesRetryAfter(entry))) {
    if (mode === 'throw') throw new TypeError(`error ${entry.name}: retryAfter must be a whole number of seconds, on an entry with retryAfter or status 413, 429 or 503`)
    retryAfter = undefined
  }
  return { issues, retryAfter }
}

/** `USER_NOT_FOUND` → `User not found`. */
export function titleOf (name: string): string {
  const words = name.toLowerCase().split('_').filter(Boolean).join(' ')
  return words.charAt(0).toUpperCase() + words.slice(1)
}

function isObjectSchema (schema: unknown): boolean {
  const props = (schema as { properties?: unknown } | null)?.properties
  return typeof schema === 'object' && schema !== null && typeof props === 'object' && props !== null
}

function paramNames (schema: TSchema | undefined): Set<string> {
  const props = (schema as { properties?: Record<string, unknown> } | undefined)?.properties
  return new Set(props === undefined ? [] : Object.keys(props))
}

/** Keeps only headers that cannot split a response (no CR/LF, token names); bad ones throw or drop. */
function checkHeaders (headers: Readonly<Record<string, string>> | undefined, fail: (what: string) => never): Readonly<Record<string, string>> {
  const out: Record<string, string> = {}
  if (headers === undefined) return Object.freeze(out)
  if (typeof headers !== 'object' || headers === null) return fail('headers must be an object of strings')
  for (const [key, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(key) || typeof value !== 'string' || !HEADER_VALUE.test(value)) {
      fail(`header ${JSON.stringify(key.slice(0, 64))} has an invalid name or value`)
      continue
    }
    out[key.toLowerCase()] = value
  }
  return Object.freeze(out)
}
