import t from 'tap'
import { codeBlocks } from './markdown-code-blocks.js'
import { contextFor, contextModuleFor } from './context-for.js'
import { importedPackages } from './link-dependencies.js'

const md = `# Title

\`\`\`ts
const a = 1
\`\`\`

<!-- docs-test: context (fragments below)
import { x, y } from 'lib'
declare const app: number
-->

<!-- docs-test: skip it shows only the shape of a call -->
\`\`\`js
app.get(…)
\`\`\`

- a list item:

  \`\`\`ts
  const app = 2
  \`\`\`

<!-- docs-test: skip separated by text -->
Some text.

\`\`\`sh
npm i lib
\`\`\`
`

t.test('codeBlocks: languages, lines, indentation, markers', async t => {
  const blocks = codeBlocks('x.md', md)
  t.same(blocks.map(b => [b.line, b.lang, b.code, b.skip, b.context !== undefined]), [
    [4, 'ts', 'const a = 1\n', undefined, false],
    [14, 'js', 'app.get(…)\n', 'it shows only the shape of a call', true],
    [20, 'ts', 'const app = 2\n', undefined, true],
    [27, 'sh', 'npm i lib\n', undefined, true]
  ], 'a skip marker applies only when nothing but blank lines separates it from the fence')
  t.equal(blocks[1].context, "import { x, y } from 'lib'\ndeclare const app: number\n")
})

t.test('contextFor: the context minus what the block declares itself', async t => {
  const context = "import Fastify, { type FastifyInstance } from 'fastify'\nimport { x, y } from 'lib'\nconst app = Fastify()\ndeclare function handler (): void\n"
  t.equal(contextFor(context, 'app.get(x)\n'), context)
  t.equal(contextFor(context, "import { y } from 'other'\nconst app = 1\nfunction handler () {}\n"),
    "import Fastify, { type FastifyInstance } from 'fastify'\nimport { x } from 'lib'\n")
  t.equal(contextFor(context, "import Fastify from 'fastify'\nconst { x, y: [z] } = {}\n"),
    "import { type FastifyInstance } from 'fastify'\nimport { y } from 'lib'\nconst app = Fastify()\ndeclare function handler (): void\n", 'a destructured name is declared, a renamed key is not')
})

t.test('contextModuleFor: a JavaScript block imports the value names it lacks', async t => {
  const { module, header } = contextModuleFor("import type { A } from 'a'\nimport { b, type C } from 'b'\ninterface D {}\nconst app = b()\n", 'const b = 1\n', './ctx.js')
  t.equal(header, "import { app } from './ctx.js'\n")
  t.match(module, /export \{ app, b \}\n$/)
})

t.test('importedPackages: package names, not paths, built-ins or relative files', async t => {
  t.same(importedPackages("import a from '@scope/pkg/sub'\nimport 'side'\nconst b = await import('fastify')\nimport fs from 'node:fs'\nimport path from 'path'\nimport { errors } from './errors.js'\nconst c = require('pino')\n"),
    ['@scope/pkg', 'fastify', 'pino', 'side'])
})
