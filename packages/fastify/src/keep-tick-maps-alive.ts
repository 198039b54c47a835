import { executionAsyncResource } from 'node:async_hooks'

let scheduled = false
// The one tick object kept for the life of the process.
const kept: object[] = []

/**
 * Keeps one `process.nextTick()` tick object alive, so that V8 keeps its hidden classes (maps).
 *
 * Node 20 to 24 build each tick object as an object literal with computed keys. When a full garbage
 * collection runs while no tick object is alive, V8 drops the literal's maps; the next tick then turns
 * the literal's inline caches megamorphic for good, and from then on every `nextTick()` (several per
 * HTTP request) defines its properties through V8's runtime: 1–3 µs of CPU per request in the
 * benchmark harness. Bare Fastify gets there after its first error request. Node 26 builds tick
 * objects with a class and does not need this; there it costs one small object.
 */
export function keepTickMapsAlive (): void {
  if (scheduled) return
  scheduled = true
  // Inside a tick callback, the current async resource is the tick object itself.
  process.nextTick(() => { kept.push(executionAsyncResource()) })
}
