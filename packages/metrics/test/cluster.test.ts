import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const app = fileURLToPath(new URL('./fixtures/cluster-app.mjs', import.meta.url))
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url))

t.test('two cluster workers record errors; the primary serves their sum via AggregatorRegistry', async t => {
  // The example is the plain JavaScript a user would run, so it imports the built package.
  if (!existsSync(dist)) throw new Error('packages/metrics/dist is missing: run `pnpm run build` first')
  const child = spawn(process.execPath, [app], { stdio: ['ignore', 'pipe', 'pipe'] })
  const exited = new Promise<number | null>(resolve => child.on('exit', code => resolve(code)))
  t.teardown(async () => {
    if (child.exitCode === null) child.kill('SIGTERM')
    await exited
  })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString() })
  const port = await new Promise<number>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`cluster did not start: ${stderr}`)), 30_000)
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString()
      const m = /LISTENING (\d+)/.exec(out)
      if (m !== null) {
        clearTimeout(timer)
        resolve(Number(m[1]))
      }
    })
    child.on('exit', code => { clearTimeout(timer); reject(new Error(`cluster exited ${code}: ${stderr}`)) })
  })
  const res = await fetch(`http://127.0.0.1:${port}/metrics`)
  t.equal(res.status, 200)
  const text = await res.text()
  t.match(text, /errcodes_errors_total\{error_code="301",error_name="USER_NOT_FOUND",domain="RESOURCE",status_code="404"\} 7\b/, 'summed over workers: 3 + 4')
  t.match(text, /errcodes_errors_total\{error_code="501",error_name="DB_DOWN",domain="SERVER",status_code="503"\} 1\b/)
  child.kill('SIGTERM')
  t.equal(await exited, 0, 'the primary stops its workers and exits')
})
