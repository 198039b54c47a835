import t from 'tap'
import { CALL_SITE, NESTED, SECTION_KEYS } from '../packages/core/src/check-overrides.js'
import { OPTION_KEYS as FASTIFY } from '../packages/fastify/src/options.js'
import { OPTION_KEYS as I18N } from '../packages/i18n/src/options.js'
import { OPTION_KEYS as METRICS } from '../packages/metrics/src/options.js'
import { SENTRY_KEYS } from '../packages/metrics/src/sentry-options.js'
import { OPTION_KEYS as TRACING } from '../packages/tracing/src/options.js'

// Core's presets cannot import the packages, so they list each package's options themselves: the plain
// ones a preset section may hold, and the ones that carry behaviour and are passed at the call site.
// Together they must be exactly what each package's validator accepts, so a new option is classified.

const sorted = (keys: readonly string[]): string[] => [...keys].sort()
const packages = { fastify: FASTIFY, i18n: I18N, metrics: METRICS, tracing: TRACING }

for (const [section, keys] of Object.entries(packages)) {
  t.test(`${section}: preset keys and call-site keys are the package's options, each once`, async t => {
    const plain = SECTION_KEYS[section as keyof typeof SECTION_KEYS]
    const callSite = CALL_SITE[section as keyof typeof CALL_SITE]
    t.same(sorted([...plain, ...callSite]), sorted(keys))
    t.same(plain.filter(k => callSite.includes(k)), [], 'no key is both')
  })
}

t.test('metrics.sentry in a preset takes the DSN form of the sentry option (a client is added in code)', async t => {
  t.same(sorted([...NESTED['metrics.sentry'], 'client']), sorted(SENTRY_KEYS))
})
