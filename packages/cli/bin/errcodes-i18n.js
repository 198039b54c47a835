#!/usr/bin/env node
// The `errcodes-i18n` bin points here rather than into dist/: pnpm links bins at install time, before the
// first build has made dist/, and skips (with a warning) a bin whose file does not exist yet.
import { existsSync } from 'node:fs'

const entry = new URL('../dist/errcodes-i18n.js', import.meta.url)
if (existsSync(entry)) {
  await import(entry.href)
} else {
  // Only possible in a clone of the repository: a published package always carries dist/.
  process.stderr.write('errcodes-i18n: @errcodes/cli is not built yet; run `pnpm build` (or `npx -y pnpm@10 build`) first\n')
  process.exitCode = 1
}
