import t from 'tap'
import { checkGroup } from './fixtures/check-group.js'

// Fastify's own logger test files, run from the installed package, with @errcodes/fastify at the root.
t.test('Fastify\'s logger tests pass with the plugin, except the allow-listed differences', async t => {
  await checkGroup(t, 'logger', 300)
})
