import { fork } from 'node:child_process'

const live = new Set()
// A harness that dies (Ctrl-C, an exception) takes its children with it.
process.once('exit', () => { for (const child of live) child.kill('SIGKILL') })

/**
 * Forks a harness script with IPC and resolves its first message ({ type: 'ready' | 'result' |
 * 'unavailable' | 'failed' }), under `execPath` (default: this Node). Bounded: a child that says nothing within `timeoutMs` is killed.
 */
export function forkChild (script, args = [], { execArgv = [], timeoutMs = 30_000, env = {}, execPath = process.execPath } = {}) {
  const child = fork(script, args, {
    execArgv,
    // `--node`: the measured code runs under that binary; IPC messages are JSON, so versions may differ.
    execPath,
    env: { ...process.env, NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc']
  })
  live.add(child)
  // A child that already disconnected makes send() fail with EPIPE; its exit is what matters.
  child.on('error', () => {})
  let stderr = ''
  child.stderr.on('data', (chunk) => { if (stderr.length < 8192) stderr += chunk })
  const exited = new Promise(resolve => child.once('exit', (code, signal) => { live.delete(child); resolve({ code, signal }) }))
  const first = new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      resolve({ type: 'failed', reason: `no answer within ${timeoutMs} ms` })
    }, timeoutMs)
    child.once('message', (m) => { clearTimeout(timer); resolve(m) })
    exited.then(({ code, signal }) => {
      clearTimeout(timer)
      resolve({ type: 'failed', reason: `exited (${signal ?? code}) before answering: ${stderr.trim().slice(-2000)}` })
    })
  })
  /** Asks the child to close, then kills it if it has not exited within 5 s. */
  async function close () {
    if (child.exitCode !== null || child.signalCode !== null) return
    if (child.connected) child.send({ type: 'close' }, () => {})
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    await exited
    clearTimeout(timer)
  }
  return { child, first, close }
}
