import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { packageVersion } from '../src/package-version.js'
import { memoryTracing } from './fixtures/memory-tracing.js'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }

t.test('the spans\' instrumentation scope names this package and its version', async t => {
  const { tracing, spans } = memoryTracing()
  tracing.finishRequest(tracing.startRequest({ method: 'GET', path: '/x', route: '/x', headers: {} })!, 200, '/x')
  const [span] = await spans()
  t.same(span?.instrumentationScope, { name: '@errcodes/tracing', version: manifest.version, schemaUrl: undefined })
  await tracing.shutdown()
})

t.test('moved away from its package.json (a bundle), the version is left out rather than read from another package', async t => {
  const dir = t.testdir({
    'package.json': JSON.stringify({ name: 'someone-elses-app', version: '9.9.9' }),
    dist: {},
    lonely: { deeper: {} }
  })
  t.equal(packageVersion(pathToFileURL(join(dir, 'dist', 'bundle.js')).href), undefined, 'another package\'s manifest one folder up')
  t.equal(packageVersion(pathToFileURL(join(dir, 'lonely', 'deeper', 'bundle.js')).href), undefined, 'no manifest there at all')
  t.equal(packageVersion(new URL('../src/x.js', import.meta.url).href), manifest.version, 'its own manifest')
})
