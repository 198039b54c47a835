import { mkdirSync, writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildApp, typeBaseUrl } from './app.js'

/**
 * Writes `<out>/openapi.json` (the document @fastify/swagger generates, with one component per error
 * code) and `<out>/errors.html` + `<out>/errors.md` (the reference `errcodes docs` renders). The
 * problem `type` URIs point at the HTML page's anchors.
 */
export async function generate (out) {
  mkdirSync(out, { recursive: true })
  const app = await buildApp()
  await app.ready()
  const document = app.swagger()
  await app.close()
  writeFileSync(join(out, 'openapi.json'), JSON.stringify(document, null, 2) + '\n')

  const require = createRequire(import.meta.url)
  const cli = join(dirname(require.resolve('@errcodes/cli/package.json')), 'bin/errcodes.js')
  const catalogModule = fileURLToPath(new URL('./errors.js', import.meta.url))
  for (const format of ['html', 'md']) {
    execFileSync(process.execPath, [cli, 'docs', catalogModule, '--format', format, '--type-base-url', typeBaseUrl, '--title', 'Billing API errors', '--builtins', '--out', join(out, `errors.${format}`)], { stdio: 'inherit' })
  }
  return { openapi: join(out, 'openapi.json'), html: join(out, 'errors.html'), md: join(out, 'errors.md') }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = await generate(resolve(process.argv[2] ?? 'out'))
  console.log(`wrote ${files.openapi}\nwrote ${files.html}\nwrote ${files.md}`)
}
