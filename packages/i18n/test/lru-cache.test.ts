import t from 'tap'
import { LruCache } from '../src/lru-cache.js'

t.test('evicts the least recently used entry and stays bounded', async (t) => {
  const c = new LruCache<number>(2)
  c.set('a', 1)
  c.set('b', 2)
  t.equal(c.get('a'), 1)
  c.set('c', 3)
  t.equal(c.get('b'), undefined, 'b was least recently used')
  t.equal(c.get('a'), 1)
  t.equal(c.get('c'), 3)
  for (let i = 0; i < 100; i++) c.set(String(i), i)
  t.equal(c.size, 2)
  c.clear()
  t.equal(c.size, 0)
})

t.test('size 0 caches nothing', async (t) => {
  const c = new LruCache<number>(0)
  c.set('a', 1)
  t.equal(c.get('a'), undefined)
})

t.test('a key in use survives a flood of new keys; the size never exceeds the bound', async (t) => {
  const c = new LruCache<number>(1000)
  c.set('hot', 1)
  for (let i = 0; i < 10_000; i++) {
    c.set(`k${i}`, i)
    t.ok(c.size <= 1000 || t.fail(`size ${c.size} at ${i}`))
    if (c.get('hot') !== 1) { t.fail(`hot key evicted at ${i}`); break }
  }
  t.equal(c.get('k9999'), 9999, 'the newest key is cached')
  t.equal(c.get('k0'), undefined, 'an old unused key was evicted')
})
