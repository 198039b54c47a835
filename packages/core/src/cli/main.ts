#!/usr/bin/env node
import { runCli } from './run-cli.js'

// exitCode instead of process.exit(), so output piped to a file or another process is flushed first.
process.exitCode = await runCli(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => { process.stdout.write(text) },
  stderr: (text) => { process.stderr.write(text) }
})
