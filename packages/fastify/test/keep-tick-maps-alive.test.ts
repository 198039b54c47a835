import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import t from 'tap'

const app = fileURLToPath(new URL('./fixtures/tick-maps-app.mjs', import.meta.url))

/** The states of the inline caches of nextTick's tick object literal, after full GCs with no tick alive. */
function literalCacheStates (plugin: 'with' | 'without'): string[] {
  // A plain Node process: tap adds its coverage loader to every child's NODE_OPTIONS, and a loader
  // thread changes when V8 collects garbage during start-up.
  const run = spawnSync('env', ['-u', 'NODE_OPTIONS', process.execPath, '--expose-gc', '--allow-natives-syntax', app, plugin], { encoding: 'utf8', timeout: 30_000 })
  if (run.status !== 0) throw new Error(`fixture failed (${run.status ?? run.signal}): ${run.stderr.slice(-2000)}`)
  return [...run.stdout.matchAll(/slot #\d+ DefineKeyedOwnPropertyInLiteral (\w+)/g)].map(m => m[1] as string)
}

t.test('the plugin keeps process.nextTick off V8\'s runtime after full garbage collections', async (t) => {
  const without = literalCacheStates('without')
  if (without.length === 0) {
    // Node 26 builds tick objects with a class: there is no literal whose caches could go megamorphic.
    t.same(literalCacheStates('with'), [], `Node ${process.versions.node}: nextTick has no tick object literal`)
    return
  }
  // The control: without the plugin, the same app on this Node loses the literal's maps.
  t.ok(without.includes('MEGAMORPHIC'), `without the plugin, some caches go megamorphic: ${without.join(' ')}`)
  const withPlugin = literalCacheStates('with')
  t.ok(withPlugin.length > 0, 'the literal has inline caches')
  t.notOk(withPlugin.includes('MEGAMORPHIC'), `with the plugin, every cache stays monomorphic: ${withPlugin.join(' ')}`)
})
