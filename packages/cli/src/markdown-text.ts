// Text from a catalog or a locale file is data, never Markdown or HTML: a translator's
// `[x](javascript:alert(1))` must not become a live link in a rendered reference.

// Inline constructs: emphasis, code, links and images (`!` before a kept link would make it an
// image fetched from anywhere), strikethrough, backslash escapes.
const INLINE = /[\\`*_[\]~!]/g
// GFM turns bare `https://…` and `www.…` into live links: an escape breaks the autolink and shows the same text.
const AUTOLINK = /\b(https?|ftp)(:\/\/)|\b(www)(\.)/gi
// Block constructs at the start of a line: headings, lists, thematic breaks, setext underlines,
// ordered lists (`1.` / `1)`), tables.
const LINE_START = /^([ \t]*)([#+\-=*|]|\d{1,9}[.)])/gm
// http(s), an in-page anchor, or a path on the same site (not `//host`, which leaves it); nothing a
// renderer could turn into script.
const SAFE_URL = /^(?:https?:\/\/[^\s<>()"'`\\]+|#[\w.:-]*|\.{0,2}\/(?!\/)[^\s<>()"'`\\:]*|[\w.~-]+(?:\/[\w.~-]*)*(?:[?#][^\s<>()"'`\\:]*)?)$/i
// `[text](url)` with a plain destination; anything fancier is not a link we keep.
const LINK = /\[([^\]\n]{1,500})\]\(([^()\s]{1,2000})\)/g
// A code span: content stays literal in every renderer, so it is kept as written.
const CODE_SPAN = /(`+)(?!`)([\s\S]*?[^`])\1(?!`)/g

/** Escapes `&`, `<`, `>` (renderers accept raw HTML) and every Markdown construct in a value. */
export function markdownText (value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(INLINE, '\\$&')
    .replace(AUTOLINK, (_m, scheme?: string, slashes?: string, www?: string, dot?: string) => scheme !== undefined ? `${scheme}\\${slashes}` : `${www}\\${dot}`)
    .replace(LINE_START, (_m, space: string, mark: string) => `${space}${mark.replace(/[^\d]/, '\\$&')}`)
}

/**
 * A description: like markdownText, except that `code spans` and links to http(s), anchors or
 * relative paths stay (descriptions use them for names and references). Any other link
 * (`javascript:`, `data:`, `vbscript:`, entity tricks) is shown as escaped text, never as a link.
 */
export function markdownDescription (value: unknown): string {
  const source = String(value)
  let out = ''
  let from = 0
  for (const match of source.matchAll(CODE_SPAN)) {
    // Kept as written: renderers show a code span's content literally (no HTML, links or entities).
    out += linksAndText(source.slice(from, match.index)) + match[0]
    from = match.index + match[0].length
  }
  return out + linksAndText(source.slice(from))
}

function linksAndText (text: string): string {
  let out = ''
  let from = 0
  for (const match of text.matchAll(LINK)) {
    const [whole, label, url] = match
    if (!SAFE_URL.test(url)) continue
    out += markdownText(text.slice(from, match.index)) + `[${markdownText(label)}](${url.replace(/&/g, '&amp;')})`
    from = match.index + whole.length
  }
  return out + markdownText(text.slice(from))
}
