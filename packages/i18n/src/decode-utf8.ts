// One decoder for every read: `fatal` makes it throw on invalid bytes instead of writing U+FFFD,
// which would otherwise reach clients as `��` (or, in a key, silently hide a message).
const decoder = new TextDecoder('utf-8', { fatal: true })

/** A file's text, or the byte offset of its first invalid UTF-8 sequence. */
export type Utf8Result = { readonly text: string } | { readonly offset: number }

/** Decodes strict UTF-8 (a leading BOM is dropped); on invalid bytes answers where they start. */
export function decodeUtf8 (bytes: Uint8Array): Utf8Result {
  try {
    return { text: decoder.decode(bytes) }
  } catch {
    return { offset: firstInvalid(bytes) }
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence (RFC 3629). */
function firstInvalid (bytes: Uint8Array): number {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i]
    let size: number
    let lo = 0x80
    let hi = 0xbf
    if (b < 0x80) size = 1
    else if (b >= 0xc2 && b <= 0xdf) size = 2
    else if (b >= 0xe0 && b <= 0xef) {
      size = 3
      // No overlong forms (E0 80..9F) and no UTF-16 surrogates (ED A0..BF).
      if (b === 0xe0) lo = 0xa0
      if (b === 0xed) hi = 0x9f
    } else if (b >= 0xf0 && b <= 0xf4) {
      size = 4
      if (b === 0xf0) lo = 0x90
      if (b === 0xf4) hi = 0x8f
    } else return i
    for (let k = 1; k < size; k++) {
      const c = bytes[i + k]
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i
    }
    i += size
  }
  return bytes.length
}
