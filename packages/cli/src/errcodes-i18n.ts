import { runI18nAlias } from './i18n-alias.js'
import { processIo } from './cli-io.js'

process.exitCode = await runI18nAlias(process.argv.slice(2), processIo())
