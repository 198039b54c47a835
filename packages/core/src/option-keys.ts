/**
 * Throws a TypeError for the first own key of `options` that is not in `known`, naming it and the
 * closest valid key: `createI18n: unknown option "fallbackLocale"; did you mean "fallbackLocales"?`.
 * Every @errcodes package checks its options with it, so a typo is a clear error at start, never a
 * setting that silently does nothing.
 */
export function rejectUnknownKeys (fn: string, options: object, known: readonly string[], within?: string): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue
    const name = within === undefined ? key : `${within}.${key}`
    const near = closestKey(key, known)
    throw new TypeError(`${fn}: unknown option ${JSON.stringify(name.slice(0, 64))}${near === undefined ? '' : `; did you mean ${JSON.stringify(within === undefined ? near : `${within}.${near}`)}?`} (valid: ${known.join(', ')})`)
  }
}

/**
 * The valid key nearest to `key` by edit distance (case-insensitive), if it is near enough to be a
 * typo; a key that is the start of a valid one (`sample` → `sampleRate`) counts as one edit away.
 */
export function closestKey (key: string, known: readonly string[]): string | undefined {
  const wanted = key.slice(0, 64).toLowerCase()
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(wanted.length / 3)) + 1
  for (const candidate of known) {
    const lower = candidate.toLowerCase()
    const d = wanted.length >= 4 && lower.startsWith(wanted) ? 1 : editDistance(wanted, lower)
    if (d < bestDistance) { best = candidate; bestDistance = d }
  }
  return best
}

// Levenshtein distance over two short strings (keys are capped at 64 characters above).
function editDistance (a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    const current = [i]
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[b.length]
}
