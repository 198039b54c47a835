import t from 'tap'
import { checkGroup } from './fixtures/check-group.js'

// Fastify's own hooks test files, run from the installed package, with @errcodes/fastify at the root.
t.test('Fastify\'s hooks tests pass with the plugin, except the allow-listed differences', async t => {
  await checkGroup(t, 'hooks', 1000)
})
