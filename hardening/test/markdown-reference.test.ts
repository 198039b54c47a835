import t from 'tap'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { marked } from 'marked'

// Finding 6 of the security review: the Markdown error reference kept `[x](javascript:alert(1))` from
// locale files or descriptions as a live link (the HTML reference was safe). The reference is rendered
// here by a real Markdown renderer, and every link, image and tag of the result is checked.

const CLI = fileURLToPath(new URL('../../packages/cli/bin/errcodes.js', import.meta.url))
const FIXTURE = fileURLToPath(new URL('./fixtures/hostile-docs/', import.meta.url))

async function docs (): Promise<string> {
  return await new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, 'docs', 'catalog.mjs', '--locales', 'locales'], { cwd: FIXTURE, env: { ...process.env, NODE_OPTIONS: '' }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err !== null) reject(new Error(`${err.message}\n${stderr}`))
      else resolve(stdout)
    })
  })
}

t.test('the Markdown reference has no live link but http(s), anchors and relative paths, and no HTML from values', async t => {
  const md = await docs()
  t.match(md, 'ORDER_NOT_FOUND', 'the entry is rendered')
  const html = await marked.parse(md, { async: true })
  const hrefs = [...html.matchAll(/<a\b[^>]*\bhref="([^"]*)"/gi)].map(m => m[1])
  const srcs = [...html.matchAll(/<img\b[^>]*\bsrc="([^"]*)"/gi)].map(m => m[1])
  const unsafe = hrefs.filter(h => !/^(https?:\/\/|#|\.{0,2}\/)/i.test(h))
  t.same(unsafe, [], `every link is http(s), an anchor or relative (${hrefs.length} links)`)
  t.same(srcs, [], 'no image from a value')
  t.notMatch(html, /<(script|img|iframe|svg|object|embed)\b/i, 'no HTML tag from a value')
  t.notMatch(html, /<[a-z][^>]*\son[a-z]+=/i, 'no event handler attribute in any tag')
  t.notMatch(hrefs.join(' '), /javascript|data:|vbscript/i)
  t.same(hrefs.filter(h => /evil\.example/.test(h)), ['https://evil.example/pixel.png'],
    'no bare URL, www. name or protocol-relative link becomes a live link (the explicit https link of a description stays, as a link, not an image)')
  t.match(html, /visit www\.evil\.example or https:\/\/evil\.example\/bare/, 'bare URLs are shown as text')
  t.match(html, /call www\.evil\.example or https:\/\/evil\.example\/en/, 'bare URLs of a locale message are shown as text')
  t.ok(hrefs.includes('https://docs.example.com/orders'), 'an https link of a description stays a link')
  t.ok(hrefs.includes('./help.md'), 'a relative link stays')
  t.ok(hrefs.includes('#ORDER_NOT_FOUND'), 'an anchor stays')
  t.match(html, /<code>\[code\]\(javascript:alert\(10\)\)<\/code>/, 'a code span stays literal code')
  t.notMatch(html, /<h1[^>]*>heading|<li>list/, 'no heading or list injected from a description')
})
