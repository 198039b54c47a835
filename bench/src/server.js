// Child process: builds one variant, listens on a loopback port, reports it over IPC, and closes when
// told to or when the parent goes away (so no server outlives a crashed harness).
import { writeFile } from 'node:fs/promises'
import { allowedCpus } from './pin-cpus.js'
import { Unavailable, variants } from './variants.js'

const [name] = process.argv.slice(2)
const variant = variants.find(v => v.name === name)
const logger = process.argv.includes('--logger')
let built

async function main () {
  if (variant === undefined) throw new Error(`unknown variant ${name}`)
  try {
    built = await variant.build({ logger })
  } catch (err) {
    if (err instanceof Unavailable) {
      process.send({ type: 'unavailable', reason: err.message })
      return
    }
    throw err
  }
  await built.app.listen({ host: '127.0.0.1', port: 0 })
  // The CPUs it runs on go into the results: proof of where `--pin` put it.
  process.send({ type: 'ready', port: built.app.server.address().port, cpus: allowedCpus() })
}

async function close () {
  const guard = setTimeout(() => process.exit(0), 3000)
  guard.unref()
  try {
    await built?.app.close()
    await built?.close?.()
  } finally {
    process.exit(0)
  }
}

// `--profile-rounds`: the harness profiles the measured rounds of each path, without start-up and warm-up.
let profiler
async function startProfile () {
  // Loaded on first use: a Node built without the inspector runs every other measurement.
  const { Session } = await import('node:inspector/promises')
  profiler = new Session()
  profiler.connect()
  await profiler.post('Profiler.enable')
  await profiler.post('Profiler.start')
}
async function stopProfile (file) {
  const { profile } = await profiler.post('Profiler.stop')
  profiler.disconnect()
  profiler = undefined
  await writeFile(file, JSON.stringify(profile))
}
const answerProfile = (work) => work.then(() => process.send({ type: 'profile' }), (err) => process.send({ type: 'profile', error: String(err?.message ?? err) }))

process.on('message', (m) => {
  if (m?.type === 'close') close()
  else if (m?.type === 'profile-start') answerProfile(startProfile())
  else if (m?.type === 'profile-stop') answerProfile(stopProfile(m.file))
  // The parent reads this before and after each measurement: CPU per request does not depend on
  // how often other processes held the core, unlike requests per second.
  else if (m?.type === 'cpu') process.send({ type: 'cpu', usage: process.cpuUsage() })
})
process.on('disconnect', close)
main().catch((err) => {
  process.send?.({ type: 'failed', reason: String(err?.stack ?? err) })
  process.exitCode = 1
  process.disconnect?.()
})
