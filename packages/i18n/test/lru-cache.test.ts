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
