import { parseArgs, type ParseArgsConfig } from 'node:util'
import { messageOf, usageError } from './cli-error.js'

type Options = NonNullable<ParseArgsConfig['options']>

/** Parsed flags and positionals of one command. */
export interface CommandArgs {
  readonly values: Record<string, string | boolean | undefined>
  readonly positionals: string[]
}

/**
 * `parseArgs` in strict mode, with its errors turned into one-line usage errors, and the number of
 * positionals checked: `names` lists the required ones, in order.
 */
export function parseCommandArgs (command: string, args: readonly string[], options: Options, names: readonly string[]): CommandArgs {
  let parsed
  try {
    parsed = parseArgs({ args: [...args], options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (err) {
    const code = (err as { code?: unknown }).code
    const option = /'(-[^' ]+)/.exec(messageOf(err))?.[1]
    if (option !== undefined && code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw usageError(command, `unknown option ${option}`)
    if (option !== undefined && code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      throw usageError(command, /does not take/.test(messageOf(err)) ? `option ${option} takes no value` : `option ${option} needs a value`)
    }
    /* c8 ignore next 2: with allowPositionals, parseArgs throws only the two errors above, each quoting the option; kept for a message a future Node words differently */
    throw usageError(command, messageOf(err))
  }
  const values = parsed.values as Record<string, string | boolean | undefined>
  if (values.help === true) return { values, positionals: parsed.positionals }
  if (parsed.positionals.length < names.length) throw usageError(command, `missing ${names[parsed.positionals.length]}`)
  if (parsed.positionals.length > names.length) throw usageError(command, `unexpected argument ${JSON.stringify(parsed.positionals[names.length])}`)
  return { values, positionals: parsed.positionals }
}

/** A string flag's value, or undefined; a value that is present but empty is a usage error. */
export function stringFlag (command: string, values: CommandArgs['values'], name: string): string | undefined {
  const value = values[name]
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw usageError(command, `--${name} needs a value`)
  return value
}
