import { processIo } from './cli-io.js'
import { runCli } from './run-cli.js'

// exitCode instead of process.exit(), so output piped to a file or another process is flushed first.
process.exitCode = await runCli(process.argv.slice(2), processIo())
