import { DEFAULT_MESSAGE, type Reference, type ReferenceEntry, type ReferenceField } from './build-reference.js'

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Escapes text for HTML content and quoted attribute values. */
export function escapeHtml (text: unknown): string {
  return String(text).replace(/[&<>"']/g, c => ESCAPES[c])
}

// Descriptions use `backticks` for header and field names; render them as code after escaping.
function prose (text: string): string {
  return escapeHtml(text).replace(/`([^`\n]+)`/g, '<code>$1</code>')
}

// Inline only, and the CSP forbids anything else, so the page works offline and leaks no request.
const CSS = `
:root { color-scheme: light dark; --muted: #667; --line: #ccd; --accent: #2456c9; --bg-alt: rgba(127,127,127,.08) }
* { box-sizing: border-box }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 60rem; padding: 1rem 1.5rem 4rem }
code, pre { font: 13px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace }
pre { background: var(--bg-alt); padding: .75rem; overflow-x: auto; border-radius: 4px; margin: .25rem 0 }
a { color: var(--accent) }
nav ul { list-style: none; padding-left: 1rem } nav > ul { padding-left: 0 }
table { border-collapse: collapse; margin: .25rem 0 .75rem; width: 100% }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top }
th { background: var(--bg-alt) }
.domain > h2 { border-bottom: 2px solid var(--line); margin-top: 2.5rem }
.range, .muted { color: var(--muted); font-weight: normal }
.entry { border: 1px solid var(--line); border-radius: 6px; padding: .25rem 1rem 1rem; margin: 1.25rem 0; scroll-margin-top: .5rem }
.entry:target { outline: 3px solid var(--accent) }
.entry h3 a { color: inherit; text-decoration: none }
.facts span { display: inline-block; margin-right: 1rem }
.deprecated { color: #b3261e; font-weight: 600 }
.missing { color: #b3261e; font-style: italic }
.examples { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: .75rem }
figure { margin: 0 } figcaption { color: var(--muted); font-size: 13px }
`

/** Renders the reference as one self-contained HTML page: inline CSS, no script, an anchor per code. */
export function renderHtml (ref: Reference): string {
  const count = ref.domains.reduce((n, d) => n + d.entries.length, 0)
  const toc = ref.domains.map(d => `<li><a href="#domain-${escapeHtml(d.name)}">${escapeHtml(d.name)}</a> <span class="range">${d.from}–${d.to}</span><ul>\n${
    d.entries.map(e => `<li><a href="#${escapeHtml(e.name)}"><code>${e.code}</code> ${escapeHtml(e.name)}</a>${e.deprecated === undefined ? '' : ' <span class="deprecated">deprecated</span>'}</li>`).join('\n')
  }</ul></li>`).join('\n')
  const body = ref.domains.map(d => `<section class="domain" id="domain-${escapeHtml(d.name)}">
<h2>${escapeHtml(d.name)} <span class="range">${d.from}–${d.to}</span></h2>
${d.entries.map(e => entryHtml(e, ref.locales)).join('\n')}
</section>`).join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="generator" content="errcodes docs">
<title>${escapeHtml(ref.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(ref.title)}</h1>
<p class="muted">${count} error code${count === 1 ? '' : 's'} in ${ref.domains.length} domain${ref.domains.length === 1 ? '' : 's'}${ref.locales.length > 0 ? '; messages in ' + ref.locales.map(escapeHtml).join(', ') : ''}.</p></header>
<nav id="contents" aria-label="Contents"><h2>Contents</h2><ul>
${toc}
</ul></nav>
<main>
${body}
</main>
</body>
</html>
`
}

function entryHtml (e: ReferenceEntry, locales: readonly string[]): string {
  const deprecated = e.deprecated === undefined
    ? ''
    : `<p class="deprecated">Deprecated${typeof e.deprecated === 'string' ? ': ' + prose(e.deprecated) : '.'}</p>\n`
  const messages = [DEFAULT_MESSAGE, ...locales].map(locale => {
    const text = e.messages[locale]
    const cell = text === null || text === undefined
      ? '<td class="missing">missing</td>'
      : `<td${locale === DEFAULT_MESSAGE ? '' : ` lang="${escapeHtml(locale)}"`}>${escapeHtml(text)}</td>`
    return `<tr><th scope="row">${escapeHtml(locale)}</th>${cell}</tr>`
  }).join('')
  return `<article class="entry" id="${escapeHtml(e.name)}">
<h3><a href="#${escapeHtml(e.name)}">${escapeHtml(e.name)}</a> <span class="range">${e.code}</span></h3>
<p class="facts"><span>Status <strong>${e.status}</strong></span><span>Severity <strong>${escapeHtml(e.severity)}</strong></span><span>Title <strong>${escapeHtml(e.title)}</strong></span>${
    e.retryAfter === undefined ? '' : `<span>Retry-After <strong>${e.retryAfter}</strong> s</span>`}${e.expose ? '' : '<span>message hidden from clients</span>'}</p>
${deprecated}${e.description === undefined ? '' : `<p class="description">${prose(e.description)}</p>\n`}<p class="muted">Message key <code>${escapeHtml(e.messageKey)}</code> · type <code>${escapeHtml(e.type)}</code></p>
<h4>Messages</h4>
<table class="messages"><tbody>${messages}</tbody></table>
${fieldsHtml('Params', e.params, e.paramsSchema)}${fieldsHtml('Detail', e.detail, e.detailSchema)}<h4>Example bodies</h4>
<div class="examples">
<figure><figcaption>application/json</figcaption><pre><code>${escapeHtml(JSON.stringify(e.examples.json, null, 2))}</code></pre></figure>
<figure><figcaption>application/problem+json</figcaption><pre><code>${escapeHtml(JSON.stringify(e.examples.problem, null, 2))}</code></pre></figure>
</div>
</article>`
}

function fieldsHtml (label: string, fields: readonly ReferenceField[], schema: unknown): string {
  if (schema === undefined) return ''
  const rows = fields.map(f => `<tr><td><code>${escapeHtml(f.name)}</code></td><td>${escapeHtml(f.type)}</td><td>${f.required ? 'yes' : 'no'}</td><td>${f.description === undefined ? '' : prose(f.description)}</td></tr>`).join('')
  return `<h4>${label}</h4>
${rows === '' ? '' : `<table><thead><tr><th>Name</th><th>Type</th><th>Required</th><th>Description</th></tr></thead><tbody>${rows}</tbody></table>\n`}<details><summary>${label} schema</summary><pre><code>${escapeHtml(JSON.stringify(schema, null, 2))}</code></pre></details>
`
}
