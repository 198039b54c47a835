import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import { makeFolder } from './make-folder.js'

/** Writes a results file and its Markdown beside it (`x.json`, `x.md`), folder made if need be: the pair every reader expects together. */
export async function writeResults (jsonPath, results, markdown) {
  if (!jsonPath.endsWith('.json')) throw new TypeError(`writeResults: ${jsonPath} is not a .json path (its .md would overwrite it)`)
  makeFolder(path.dirname(jsonPath))
  await writeFile(jsonPath, JSON.stringify(results, null, 2) + '\n')
  await writeFile(jsonPath.replace(/\.json$/, '.md'), markdown + '\n')
}
