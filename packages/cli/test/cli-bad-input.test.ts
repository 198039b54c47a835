import { chmod, truncate, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import t from 'tap'
import { FIXTURES, spawnCli } from './fixtures/spawn-cli.js'

// Every bad input ends with exactly one line on stderr, no stack trace and the documented exit code.
const cases: Array<{ args: string[], code: number, message: string | RegExp }> = [
  { args: ['docs', 'missing.mjs'], code: 2, message: 'module not found: missing.mjs' },
  { args: ['docs', 'no-catalog.mjs'], code: 2, message: 'no-catalog.mjs exports no catalog' },
  { args: ['docs', 'throws.mjs'], code: 2, message: 'cannot load throws.mjs: it threw while loading: database URL is not set' },
  { args: ['export', 'syntax-error.mjs'], code: 2, message: 'cannot load syntax-error.mjs: syntax error' },
  { args: ['docs', 'bad-definition.mjs'], code: 1, message: 'invalid catalog in bad-definition.mjs: error WRONG_RANGE: code 1234 is outside domain RESOURCE (300–399)' },
  { args: ['export', 'colliding-catalogs.mjs'], code: 1, message: 'cannot be merged: error SECOND: code 301 is already used by FIRST' },
  // Node 20 refuses the extension; Node 22.18+/24 strip the types and then miss the compiled `./x.js` imports.
  { args: ['docs', '../../src/run-cli.ts'], code: 2, message: /^errcodes: cannot load \.\.\/\.\.\/src\/run-cli\.ts: Node .*; build it and point at the \.js\/\.mjs output\n$/ },
  { args: ['docs', 'locales'], code: 2, message: 'locales is not a file' },
  { args: ['docs', 'https://example.com/errors.js'], code: 2, message: 'only paths and file: URLs can be loaded' },
  { args: ['docs', 'catalog.mjs', '--locales', 'locales-reserved'], code: 2, message: '--locales locales-reserved cannot be loaded: locales-reserved/ko.json __proto__: reserved key "__proto__"' },
  { args: ['docs', 'catalog.mjs', '--locales', 'locales-bad'], code: 2, message: /--locales locales-bad cannot be loaded: locales-bad\/en\.json: invalid JSON/ },
  { args: ['docs', 'catalog.mjs', '--locales', 'nowhere'], code: 2, message: '--locales nowhere does not exist' },
  { args: ['check', 'catalog.mjs', '--locales', 'nowhere'], code: 2, message: '--locales nowhere does not exist' },
  { args: ['docs', 'catalog.mjs', '--locales', 'catalog.mjs'], code: 2, message: '--locales catalog.mjs is not a directory' },
  { args: ['docs', 'catalog.mjs', '--format', 'pdf'], code: 2, message: '--format must be md, html or json (got "pdf")' },
  { args: ['docs', 'catalog.mjs', '--format'], code: 2, message: 'option --format needs a value' },
  { args: ['docs', 'catalog.mjs', '--format='], code: 2, message: '--format needs a value' },
  { args: ['docs', 'catalog.mjs', '--type-base-url', 'not a url'], code: 2, message: '--type-base-url must be an absolute URI' },
  { args: ['docs', 'catalog.mjs', '--bogus'], code: 2, message: 'unknown option --bogus (see errcodes docs --help)' },
  { args: ['docs'], code: 2, message: 'missing <module>' },
  { args: ['docs', 'a.mjs', 'b.mjs'], code: 2, message: 'unexpected argument "b.mjs"' },
  { args: ['diff', '--json=yes', 'a', 'b'], code: 2, message: 'option --json takes no value' },
  { args: ['diff', 'old.json'], code: 2, message: 'missing <new.json>' },
  { args: ['diff', 'a.json', 'b.json', '--builtins'], code: 2, message: '--builtins only applies with --baseline' },
  { args: ['diff', 'nope.json', 'nope2.json'], code: 2, message: 'file not found: nope.json' },
  { args: ['diff', 'locales-bad/en.json', 'locales/en.json'], code: 2, message: 'locales-bad/en.json is not valid JSON' },
  { args: ['diff', 'locales/en.json', 'locales/ko.json'], code: 2, message: 'locales/en.json is not a catalog export' },
  { args: ['check', 'no-catalog.mjs'], code: 2, message: 'exports no catalog' },
  { args: ['frobnicate'], code: 2, message: 'unknown command "frobnicate" (see errcodes --help)' },
  { args: ['docs', ''], code: 2, message: 'the module path is empty' },
  { args: ['docs', 'file://['], code: 2, message: 'not a valid file URL: file://[' },
  { args: ['docs', 'file://remote.example/catalog.mjs'], code: 2, message: 'not a valid file URL: file://remote.example/catalog.mjs' },
  { args: ['docs', 'throws-unprintable.mjs'], code: 2, message: 'cannot load throws-unprintable.mjs: it threw while loading: an unprintable value was thrown' },
  // A thrown message is one line; the whole message is capped at 500 characters.
  { args: ['docs', 'throws-long.mjs'], code: 2, message: /^errcodes: cannot load throws-long\.mjs: it threw while loading: first line x{436}…\n$/ },
  // After `--`, `--baseline` is a positional: baseline mode without a baseline file.
  { args: ['diff', '--', '--baseline'], code: 2, message: '--baseline needs a file (see errcodes diff --help)' },
  { args: ['docs', 'catalog.mjs', '--locales', 'catalog.mjs/x'], code: 2, message: /^errcodes: cannot read --locales catalog\.mjs\/x: ENOTDIR/ },
  { args: ['diff', 'catalog.mjs/x.json', 'y.json'], code: 2, message: /^errcodes: cannot read catalog\.mjs\/x\.json: ENOTDIR/ },
  // A failure the CLI does not expect (here a BigInt in a schema it prints) is still one line, without a stack.
  { args: ['docs', 'unserializable-schema.mjs'], code: 2, message: 'errcodes: unexpected failure: Do not know how to serialize a BigInt' }
]

// Each case is its own process; running a few at once keeps the file fast on small machines.
t.jobs = 4

for (const c of cases) {
  t.test(`errcodes ${c.args.join(' ')}`, async t => {
    const run = await spawnCli(c.args)
    t.equal(run.code, c.code)
    t.equal(run.stdout, '')
    t.match(run.stderr, /^errcodes: [^\n]+\n$/, 'exactly one line')
    t.match(run.stderr, c.message)
    t.notMatch(run.stderr, /\n\s+at /, 'no stack trace')
  })
}

t.test('an unreadable export is one line', { skip: process.getuid?.() === 0 ? 'root can read any file' : false }, async t => {
  const dir = t.testdir({ 'secret.json': '{}' })
  await chmod(join(dir, 'secret.json'), 0o000)
  const run = await spawnCli(['diff', 'secret.json', 'secret.json'], { cwd: dir })
  t.equal(run.code, 2)
  t.match(run.stderr, /^errcodes: cannot read secret\.json: EACCES[^\n]*\n$/)
})

t.test('a directory given as an export and an unwritable --out', async t => {
  const dir = t.testdir({ sub: {}, 'file.txt': 'x' })
  const run = await spawnCli(['diff', 'sub', 'sub'], { cwd: dir })
  t.equal(run.code, 2)
  t.match(run.stderr, /^errcodes: sub is not a file\n$/)
  const out = await spawnCli(['export', fileURLToPath(new URL('./fixtures/catalog.mjs', import.meta.url)), '--out', 'file.txt/x.json'], { cwd: dir })
  t.equal(out.code, 2)
  t.match(out.stderr, /^errcodes: cannot write file\.txt\/x\.json: [^\n]+\n$/)
})

t.test('an export of an unknown version is refused cleanly', async t => {
  const dir = t.testdir({})
  await writeFile(join(dir, 'v2.json'), JSON.stringify({ version: 2, domains: [], errors: [] }))
  const run = await spawnCli(['diff', 'v2.json', 'v2.json'], { cwd: dir })
  t.equal(run.code, 2)
  t.match(run.stderr, 'v2.json is not a catalog export (errcodes export writes one): unsupported version 2 (expected 1)')
})

t.test('ERRCODES_DEBUG=1 adds the stack of an unexpected failure', async t => {
  const run = await spawnCli(['docs', 'unserializable-schema.mjs'], { env: { ERRCODES_DEBUG: '1' } })
  t.equal(run.code, 2)
  t.match(run.stderr, /^errcodes: unexpected failure: Do not know how to serialize a BigInt\nTypeError: Do not know how to serialize a BigInt\n\s+at /)
})

t.test('an export over the 32 MiB cap is refused without reading it', async t => {
  const dir = t.testdir({})
  // Sparse: the size is what is checked, so the file costs no disk.
  await writeFile(join(dir, 'huge.json'), '')
  await truncate(join(dir, 'huge.json'), 32 * 1024 * 1024 + 1)
  const run = await spawnCli(['diff', 'huge.json', 'huge.json'], { cwd: dir })
  t.equal(run.code, 2)
  t.equal(run.stderr, `errcodes: huge.json is larger than ${32 * 1024 * 1024} bytes\n`)
})

t.test('--locales . with more files than the reader takes names the folder by its full path', async t => {
  const files: Record<string, string> = {}
  for (let i = 0; i <= 500; i++) files[`en-x-p${String(i).padStart(3, '0')}.json`] = '{}'
  const dir = t.testdir(files)
  const run = await spawnCli(['docs', join(FIXTURES, 'catalog.mjs'), '--locales', '.'], { cwd: dir })
  t.equal(run.code, 2)
  t.equal(run.stderr, `errcodes: --locales . cannot be loaded: ${dir}: more than 500 locale files\n`)
})

t.test('check --locales with more files than the reader takes says so once, without a false missing default locale', async t => {
  const files: Record<string, string> = {}
  for (let i = 0; i <= 500; i++) files[`en-x-p${String(i).padStart(3, '0')}.json`] = '{}'
  const dir = t.testdir(files)
  const run = await spawnCli(['check', join(FIXTURES, 'catalog.mjs'), '--locales', '.', '--json'], { cwd: dir })
  t.equal(run.code, 1)
  const errors = (JSON.parse(run.stdout) as { findings: Array<{ severity: string, problem: string }> }).findings.filter(f => f.severity === 'error')
  t.same(errors.map(f => f.problem), ['more than 500 locale files'])
})
