import { AsyncResource } from 'node:async_hooks'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { keepTickMapsAlive } from '../src/keep-tick-maps-alive.js'

const app = fileURLToPath(new URL('./fixtures/tick-maps-app.mjs', import.meta.url))

/** Runs the fixture app in a plain Node process and returns what it printed. */
function runApp (mode: 'with' | 'without' | 'in-context'): string {
  // A plain Node process: tap adds its coverage loader to every child's NODE_OPTIONS, and a loader
  // thread changes when V8 collects garbage during start-up.
  const run = spawnSync('env', ['-u', 'NODE_OPTIONS', process.execPath, '--expose-gc', '--allow-natives-syntax', app, mode], { encoding: 'utf8', timeout: 30_000 })
  if (run.status !== 0) throw new Error(`fixture failed (${run.status ?? run.signal}): ${run.stderr.slice(-2000)}`)
  return run.stdout
}

/** The states of the inline caches of nextTick's tick object literal, after full GCs with no tick alive. */
function literalCacheStates (mode: 'with' | 'without'): string[] {
  return [...runApp(mode).matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map(m => m[1] as string)
}

// Node 26 builds tick objects with a class: there is no literal whose caches could go megamorphic.
const hasTickLiteral = Number(process.versions.node.split('.')[0]) < 26

t.test('the plugin keeps process.nextTick off V8\'s runtime after full garbage collections', { skip: !hasTickLiteral && `Node ${process.versions.node} has no tick object literal` }, async (t) => {
  // The control: without the plugin, the same app on this Node loses the literal's maps.
  const without = literalCacheStates('without')
  t.ok(without.includes('MEGAMORPHIC'), `without the plugin, some caches go megamorphic: ${without.join(' ')}`)
  const withPlugin = literalCacheStates('with')
  t.ok(withPlugin.length > 0, 'the literal has inline caches')
  t.notOk(withPlugin.includes('MEGAMORPHIC'), `with the plugin, every cache stays monomorphic: ${withPlugin.join(' ')}`)
})

t.test('Node 26 has no tick object literal to keep', { skip: hasTickLiteral && `Node ${process.versions.node} has one` }, async (t) => {
  t.same(literalCacheStates('without'), [])
})

t.test('the kept tick object does not keep the async context the plugin was registered in', async (t) => {
  const out = runApp('in-context')
  // The control: a store the fixture still references is not reported freed.
  t.match(out, /freed: [^;]*; held: held/)
  t.notMatch(out, /freed: [^;]*\bheld\b/, 'a store still referenced is not freed')
  t.match(out, /freed: [^;]*\bregistration\b/, 'the AsyncLocalStorage store active at registration is freed')
})

t.test('a replaced process.nextTick (fake timers, a wrapper) is left alone', { skip: !hasTickLiteral && `Node ${process.versions.node} has no tick object literal` }, async (t) => {
  // A fake nextTick that runs callbacks later, inside a resource of its own: that resource is no tick
  // object and must keep its fields.
  const resource = Object.assign(new AsyncResource('FakeTick'), { payload: { kept: true } })
  const nextTick = process.nextTick
  t.teardown(() => { process.nextTick = nextTick })
  process.nextTick = ((callback: () => void) => { setImmediate(() => resource.runInAsyncScope(callback)) }) as typeof process.nextTick
  keepTickMapsAlive()
  await new Promise(resolve => setImmediate(resolve))
  await new Promise(resolve => setImmediate(resolve))
  t.same(resource.payload, { kept: true })
})
