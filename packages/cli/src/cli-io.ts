import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { CliError, messageOf } from './cli-error.js'

/** Where a command reads its cwd and writes its output; the real process in `main`, buffers in tests. */
export interface CliIo {
  readonly cwd: string
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
}

/** Writes `text` to `out` (relative to cwd) or, without `out`, to stdout. */
export async function emit (io: CliIo, text: string, out: string | undefined): Promise<void> {
  if (out === undefined) {
    io.stdout(text)
    return
  }
  const file = resolve(io.cwd, out)
  try {
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, text)
  } catch (err) {
    throw new CliError(`cannot write ${out}: ${messageOf(err)}`, undefined, { cause: err })
  }
}

/** The running process's cwd, stdout and stderr. */
export function processIo (): CliIo {
  return {
    cwd: process.cwd(),
    stdout: (text) => { process.stdout.write(text) },
    stderr: (text) => { process.stderr.write(text) }
  }
}
