// A run of escapes is decoded at once (the common case: one encoded e-mail or UTF-8 word).
const RUN = /(?:%[0-9A-Fa-f]{2})+/g
// Escapes that would decode to control or line-separator characters stay encoded: a decoded path
// is shown in dashboards, logs and span attributes, where a raw CR, LF or NUL would mislead a reader.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/ // eslint-disable-line no-control-regex
// `%2540` is `%40` encoded again, `%252540` three times: every `%25` before an escape is one more
// round of encoding, collapsed in one pass so that no depth of re-encoding hides what it wraps.
const REENCODED = /%(?:25)+(?=[0-9A-Fa-f]{2})/g
// After the collapse, a decoded `%` can only come from an escape such as `%2525` split by other text.
const MAX_ROUNDS = 3

/**
 * Percent-decodes a URL path for display and masking: valid UTF-8 escapes are decoded, invalid ones
 * (a lone `%C3`, `%FF`, an overlong form) and those of control characters are kept as they are. Never
 * throws; the result is never longer than the input. An escape encoded again (`%2540`, `%25252540`)
 * is decoded at any depth, in linear time.
 */
export function percentDecode (text: string): string {
  let out = text.includes('%25') ? text.replace(REENCODED, '%') : text
  for (let round = 0; round < MAX_ROUNDS && out.includes('%'); round++) {
    const next = out.replace(RUN, decodeRun)
    if (next === out) break
    out = next
  }
  return out
}

function decodeRun (run: string): string {
  const whole = tryDecode(run)
  if (whole !== undefined) return whole
  // Slow path, only for runs holding an invalid or unsafe escape: one UTF-8 sequence at a time.
  let out = ''
  let i = 0
  while (i < run.length) {
    const size = sequenceLength(parseInt(run.slice(i + 1, i + 3), 16))
    const decoded = size === 0 || i + size * 3 > run.length ? undefined : tryDecode(run.slice(i, i + size * 3))
    if (decoded === undefined) {
      out += run.slice(i, i + 3)
      i += 3
    } else {
      out += decoded
      i += size * 3
    }
  }
  return out
}

function tryDecode (escapes: string): string | undefined {
  try {
    const decoded = decodeURIComponent(escapes)
    return UNSAFE.test(decoded) ? undefined : decoded
  } catch {
    return undefined
  }
}

/** Bytes in the UTF-8 sequence a lead byte starts; 0 for a byte that cannot start one. */
function sequenceLength (lead: number): number {
  if (lead < 0x80) return 1
  if (lead >= 0xc2 && lead <= 0xdf) return 2
  if (lead >= 0xe0 && lead <= 0xef) return 3
  if (lead >= 0xf0 && lead <= 0xf4) return 4
  return 0
}
