import { DEFAULT_MESSAGE, type Reference, type ReferenceEntry, type ReferenceField } from './build-reference.js'
import { markdownDescription, markdownText } from './markdown-text.js'

// Text from the catalog or a locale file is escaped as Markdown and HTML (renderers accept raw HTML);
// descriptions keep their `code` and their http(s)/relative links, nothing else.
const text = markdownText

function cell (value: unknown): string {
  return text(value).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ')
}

/** A fenced block whose fence is longer than any backtick run inside, so content cannot close it. */
function fence (lang: string, content: string): string {
  const longest = Math.max(2, ...(content.match(/`+/g) ?? []).map(r => r.length))
  const f = '`'.repeat(longest + 1)
  return `${f}${lang}\n${content}\n${f}`
}

/** Renders the reference as Markdown with an explicit `<a id="NAME">` anchor per code. */
export function renderMarkdown (ref: Reference): string {
  const count = ref.domains.reduce((n, d) => n + d.entries.length, 0)
  const out: string[] = [`# ${text(ref.title)}`, '',
    `${count} error code${count === 1 ? '' : 's'} in ${ref.domains.length} domain${ref.domains.length === 1 ? '' : 's'}${ref.locales.length > 0 ? '; messages in ' + ref.locales.map(text).join(', ') : ''}.`,
    '', '## Contents', '']
  for (const d of ref.domains) {
    out.push(`- [${d.name} (${d.from}–${d.to})](#domain-${d.name})`)
    for (const e of d.entries) out.push(`  - [${e.code} ${e.name}](#${e.name})${e.deprecated === undefined ? '' : ' (deprecated)'}`)
  }
  for (const d of ref.domains) {
    out.push('', `## <a id="domain-${d.name}"></a>${d.name} (${d.from}–${d.to})`)
    for (const e of d.entries) out.push('', ...entryMarkdown(e, ref.locales))
  }
  return out.join('\n') + '\n'
}

function entryMarkdown (e: ReferenceEntry, locales: readonly string[]): string[] {
  const out = [`### <a id="${e.name}"></a>${e.name} · ${e.code}`, '',
    '| Status | Severity | Title | Message key | Type URI |', '| --- | --- | --- | --- | --- |',
    `| ${e.status} | ${e.severity} | ${cell(e.title)} | \`${e.messageKey}\` | ${cell(e.type)} |`]
  if (e.deprecated !== undefined) out.push('', `> **Deprecated**${typeof e.deprecated === 'string' ? ': ' + text(e.deprecated) : '.'}`)
  if (e.description !== undefined) out.push('', markdownDescription(e.description))
  const notes = [
    ...(e.retryAfter === undefined ? [] : [`Responses carry \`Retry-After: ${e.retryAfter}\`.`]),
    ...(e.expose ? [] : ['The message and detail are hidden from clients (a generic message is sent).'])
  ]
  if (notes.length > 0) out.push('', notes.join(' '))
  out.push('', '**Messages**', '', '| Locale | Message |', '| --- | --- |')
  for (const locale of [DEFAULT_MESSAGE, ...locales]) {
    const m = e.messages[locale]
    out.push(`| ${cell(locale)} | ${m === null || m === undefined ? '*missing*' : cell(m)} |`)
  }
  out.push(...fieldsMarkdown('Params', e.params, e.paramsSchema), ...fieldsMarkdown('Detail', e.detail, e.detailSchema))
  out.push('', '**Example body (application/json)**', '', fence('json', JSON.stringify(e.examples.json, null, 2)),
    '', '**Example body (application/problem+json)**', '', fence('json', JSON.stringify(e.examples.problem, null, 2)))
  return out
}

function fieldsMarkdown (label: string, fields: readonly ReferenceField[], schema: unknown): string[] {
  if (schema === undefined) return []
  const out = ['', `**${label}**`, '']
  if (fields.length > 0) {
    out.push('| Name | Type | Required | Description |', '| --- | --- | --- | --- |')
    for (const f of fields) out.push(`| \`${cell(f.name)}\` | ${cell(f.type)} | ${f.required ? 'yes' : 'no'} | ${cell(f.description ?? '')} |`)
    out.push('')
  }
  out.push(`<details><summary>${label} schema</summary>`, '', fence('json', JSON.stringify(schema, null, 2)), '', '</details>')
  return out
}
