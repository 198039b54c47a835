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
 * HTTP request) defines its properties through V8's runtime: 2–7 µs of CPU per request for bare
 * Fastify on Node 20 in the benchmark harness. Node 26 builds tick objects with a class: nothing to do.
 */
export function keepTickMapsAlive (): void {
  if (scheduled || Number(process.versions.node.split('.')[0]) >= 26) return
  scheduled = true
  const keep = (): void => {
    // Inside a tick callback, the current async resource is the tick object itself, unless
    // `process.nextTick` was replaced (fake timers, a wrapper): then it is left alone.
    const tick = executionAsyncResource() as Record<PropertyKey, unknown>
    if (tick.callback !== keep) return
    kept.push(tick)
    dropReferences(tick)
  }
  process.nextTick(keep)
}

/**
 * Empties the tick object's object-valued fields: the callback, and the async context it was created in
 * (AsyncLocalStorage stores, the async context frame), which the kept object must not hold for the life
 * of the process. Overwriting a field keeps the object's map; the async ids (numbers) stay.
 */
function dropReferences (tick: Record<PropertyKey, unknown>): void {
  for (const key of Reflect.ownKeys(tick)) {
    const field = Object.getOwnPropertyDescriptor(tick, key)
    const value: unknown = field?.value
    if (field?.writable === true && value !== null && (typeof value === 'object' || typeof value === 'function')) tick[key] = undefined
  }
}
