/** Exit codes, as diff(1) uses them: 1 is a finding (breaking change, failed check), 2 is trouble. */
export const EXIT_OK = 0
/** A finding: breaking changes, a catalog or locale check that failed. */
export const EXIT_FINDING = 1
/** Trouble: bad usage, an unreadable or malformed input, a module that cannot be loaded. */
export const EXIT_TROUBLE = 2

const MAX_MESSAGE = 500

/** An expected failure of the CLI: printed as one line on stderr, never with a stack. */
export class CliError extends Error {
  /** The process exit code. */
  readonly exitCode: number

  constructor (message: string, exitCode: number = EXIT_TROUBLE, options?: { cause?: unknown }) {
    super(oneLine(message), options)
    this.name = 'CliError'
    this.exitCode = exitCode
  }
}

/** A usage mistake (unknown flag, missing argument): exit 2 with a pointer to `--help`. */
export function usageError (command: string, message: string): CliError {
  return new CliError(`${message} (see errcodes ${command === '' ? '' : command + ' '}--help)`, EXIT_TROUBLE)
}

/** Collapses whitespace and caps the length, so a message from a thrown value stays one readable line. */
export function oneLine (text: unknown): string {
  const s = String(text).replace(/\s+/g, ' ').trim()
  return s.length > MAX_MESSAGE ? s.slice(0, MAX_MESSAGE) + '…' : s
}

/** The message of any thrown value, without its stack. */
export function messageOf (err: unknown): string {
  if (err instanceof Error) return oneLine(err.message)
  try {
    return oneLine(err)
  } catch {
    return 'an unprintable value was thrown'
  }
}
