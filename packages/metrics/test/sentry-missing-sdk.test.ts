import t from 'tap'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

// An application that installed @errcodes/metrics but not the optional peer @sentry/node: the built
// package is copied into a project of its own, next to core and prom-client only.

const pkg = fileURLToPath(new URL('..', import.meta.url))

t.test('sentry: { dsn } without @sentry/node is a TypeError at createMetrics naming the package; client mode needs no SDK', async t => {
  const dir = mkdtempSync(join(tmpdir(), 'errcodes-no-sentry-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const own = join(dir, 'node_modules/@errcodes/metrics')
  mkdirSync(own, { recursive: true })
  cpSync(join(pkg, 'dist'), join(own, 'dist'), { recursive: true })
  cpSync(join(pkg, 'package.json'), join(own, 'package.json'))
  // Every dependency and peer but @sentry/node, linked to its real path: its own dependencies resolve
  // where pnpm put them, and none of them is @sentry/node.
  const manifest = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as Record<string, Record<string, string>>
  for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    if (dep === '@sentry/node') continue
    mkdirSync(join(dir, 'node_modules', dep, '..'), { recursive: true })
    symlinkSync(realpathSync(join(pkg, 'node_modules', dep)), join(dir, 'node_modules', dep), 'dir')
  }
  writeFileSync(join(dir, 'package.json'), '{ "name": "app", "private": true, "type": "module" }')
  writeFileSync(join(dir, 'app.js'), `
    import { createMetrics } from '@errcodes/metrics'
    try {
      createMetrics({ sentry: { dsn: 'https://key@sentry.example.com/1' } })
      console.log('created')
    } catch (err) {
      console.log(JSON.stringify({ name: err.name, message: err.message }))
    }
    const client = { captureException () {}, addEventProcessor () {} }
    createMetrics({ sentry: { client } })
    console.log('client mode ok')
  `)
  const run = spawnSync(process.execPath, ['app.js'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_PATH: '', NODE_OPTIONS: '' }, timeout: 60_000 })
  t.equal(run.status, 0, run.stderr)
  const [first, second] = run.stdout.trim().split('\n')
  t.same(JSON.parse(first), {
    name: 'TypeError',
    message: 'createMetrics: option "sentry.dsn" needs the optional peer dependency @sentry/node, which is not installed (npm install @sentry/node), or pass "sentry.client"'
  })
  t.equal(second, 'client mode ok')
})
