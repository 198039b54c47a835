import t from 'tap'
import { checkGroup } from './fixtures/check-group.js'

// Fastify's own test files of the "reply-errors" group (see fixtures/run-suite.mjs), run from the installed
// package, bare and with @errcodes/fastify at the root of every instance.
t.test('Fastify\'s reply-errors tests pass with the plugin, except the allow-listed differences', async t => {
  await checkGroup(t, 'reply-errors', 400)
})
