import t from 'tap'
import { checkGroup } from './fixtures/check-group.js'

// Fastify's own test files of the "hooks" group (see fixtures/run-suite.mjs), run from the installed
// package, bare and with @errcodes/fastify at the root of every instance.
t.test('Fastify\'s hooks tests pass with the plugin, except the allow-listed differences', async t => {
  await checkGroup(t, 'hooks', 850)
})
