import t from 'tap'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { ROOT, workspacePackages } from './workspace-packages.js'

// Every package (a new one included) says in its Install section that it is ESM-only, on which Node
// versions, and what works from CommonJS; its engines are the workspace's.
const root = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } }

t.equal(root.engines.node, '^20.19.0 || >=22.12.0', 'the supported Node lines: 20.19+ (require(esm)) and 22.12+')

for (const pkg of workspacePackages()) {
  t.test(pkg.manifest.name, async t => {
    t.equal(pkg.manifest.engines?.node, root.engines.node, 'engines.node is the workspace\'s')
    const readme = readFileSync(join(pkg.dir, 'README.md'), 'utf8')
    const install = /^## Install\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? ''
    t.match(install, /\*\*ESM only[.*]/, 'says ESM only')
    t.match(install, root.engines.node, 'states the engines range')
    if (pkg.manifest.exports?.['.'] === undefined) {
      // A command (@errcodes/cli) has nothing to import or require.
      t.match(install, /no importable entry/, 'a command says it has nothing to import')
      return
    }
    t.match(install, `require('${pkg.manifest.name}')`, 'says what require() does')
    t.match(install, /`module: nodenext`/, 'names the TypeScript setting that works from CommonJS')
    t.match(install, /`module: node16` stops with TS1479/, 'and the one that does not')
    t.match(install, /ERR_REQUIRE_ESM/, 'and where require() fails')
  })
}
