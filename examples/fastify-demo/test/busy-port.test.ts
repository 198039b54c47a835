import t, { type Test } from 'tap'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'

const serverJs = fileURLToPath(new URL('../src/server.js', import.meta.url))

// Holds `port` on 127.0.0.1 for the test. Another process already holding it is just as busy.
async function occupy (t: Test, port: number): Promise<number> {
  const blocker: Server = createServer()
  blocker.listen(port, '127.0.0.1')
  // Not events.once: it rejects on 'error', which here only means someone else holds the port.
  const outcome = await new Promise<unknown>(resolve => {
    blocker.once('listening', () => { resolve('ours') })
    blocker.once('error', resolve)
  })
  if (outcome === 'ours') {
    t.teardown(() => { blocker.close() })
    const address = blocker.address()
    return typeof address === 'object' && address !== null ? address.port : port
  }
  t.equal((outcome as NodeJS.ErrnoException).code, 'EADDRINUSE', 'the port is held by another process')
  return port
}

function runDemo (env: Record<string, string | undefined>) {
  const child = spawn(process.execPath, [serverJs], {
    env: { ...process.env, PORT: undefined, HOST: '127.0.0.1', LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => { out += chunk })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { err += chunk })
  return { child, output: () => ({ out, err }) }
}

t.test('with the default port busy, the demo takes a free port, says so in one line and prints the real URLs', async t => {
  await occupy(t, 3000)
  const { child, output } = runDemo({})
  t.teardown(() => { child.kill('SIGTERM') })
  while (!output().out.includes('Sample failing requests')) {
    if (child.exitCode !== null) break
    await once(child.stdout, 'data')
  }
  const { out, err } = output()
  t.equal(err, '', 'nothing on stderr')
  const notice = out.split('\n').filter(line => /busy/.test(line))
  t.equal(notice.length, 1, 'one line about the busy port')
  t.match(notice[0], /^Port 3000 is busy; using free port (\d+) instead \(choose one with PORT=<port>, e\.g\. PORT=3001 npx -y pnpm@10 demo\)\.$/)
  const freePort = /using free port (\d+)/.exec(notice[0] ?? '')?.[1]
  const base = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out)
  t.equal(base?.[2], freePort, 'the printed URL is the port it really listens on')
  const res = await fetch(`${base?.[1]}/users/42`)
  t.equal(res.status, 404, 'and it answers there')
  await res.arrayBuffer()
})

t.test('with PORT set to a busy port, the demo says which port and how to choose another, without a stack trace', async t => {
  const busy = await occupy(t, 0)
  const { child, output } = runDemo({ PORT: String(busy) })
  const [code] = await once(child, 'exit')
  const { out, err } = output()
  t.equal(code, 1)
  t.equal(out, '')
  t.equal(err, `Port ${busy} on 127.0.0.1 is busy; choose another with PORT=<port>, e.g. PORT=3001 npx -y pnpm@10 demo (PORT=0 picks a free one).\n`)
})
