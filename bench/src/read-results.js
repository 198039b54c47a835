import { readFile } from 'node:fs/promises'

/**
 * Reads a results file of bench/src/run.js: one run (latest.json) or a per-Node aggregate
 * (node-<major>.json, with its `runs`). Throws an Error whose message says what is wrong with the file.
 */
export async function readResults (file) {
  if (!file.endsWith('.json')) throw new Error('not a .json results file')
  let text
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new Error(err.code === 'ENOENT' ? 'no such file' : err.message)
  }
  let recorded
  try {
    recorded = JSON.parse(text)
  } catch {
    throw new Error('not valid JSON')
  }
  const isRun = (r) => typeof r?.meta?.date === 'string' && typeof r.http?.variants === 'object' && r.http.variants !== null
  if (!(Array.isArray(recorded?.runs) ? recorded.runs.length > 0 && recorded.runs.every(isRun) : isRun(recorded))) {
    throw new Error('not the results of bench/src/run.js (latest.json or node-<major>.json)')
  }
  return recorded
}
