import { writeFile } from 'node:fs/promises'

/** Writes a results file and its Markdown beside it (`x.json`, `x.md`): the pair every reader expects together. */
export async function writeResults (jsonPath, results, markdown) {
  if (!jsonPath.endsWith('.json')) throw new TypeError(`writeResults: ${jsonPath} is not a .json path (its .md would overwrite it)`)
  await writeFile(jsonPath, JSON.stringify(results, null, 2) + '\n')
  await writeFile(jsonPath.replace(/\.json$/, '.md'), markdown + '\n')
}
