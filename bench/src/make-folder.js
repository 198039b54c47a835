import { existsSync, mkdirSync } from 'node:fs'
import path from 'node:path'

/**
 * `mkdir -p`, one level at a time. Node's recursive mkdir (sync and async) never returns for a path
 * under /proc: it retries the ENOENT the kernel answers there forever. Created level by level, that
 * ENOENT is thrown like any other error.
 */
export function makeFolder (dir) {
  const missing = []
  for (let at = path.resolve(dir); !existsSync(at); at = path.dirname(at)) {
    missing.push(at)
    if (path.dirname(at) === at) break
  }
  for (const folder of missing.reverse()) mkdirSync(folder)
}
