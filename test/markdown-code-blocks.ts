import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'

/** A fenced code block of a Markdown file, with the docs-test markers written above it. */
export interface CodeBlock {
  /** The Markdown file, relative to the repository root. */
  file: string
  /** 1-based line of the block's first code line in `file`. */
  line: number
  /** The fence's language (`ts`, `js`, `sh`, …; '' when none). */
  lang: string
  code: string
  /** Why the block is skipped (`<!-- docs-test: skip <reason> -->` above it), or undefined. */
  skip?: string
  /** The declarations the file's fragments assume (`<!-- docs-test: context … -->` earlier in the file). */
  context?: string
}

/** Languages whose blocks are type-checked. */
export const CHECKED_LANGS: ReadonlySet<string> = new Set(['ts', 'typescript', 'js', 'javascript', 'mjs'])

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/
const SKIP = /^<!--\s*docs-test:\s*skip\s+(\S[\s\S]*?)\s*-->$/
const CONTEXT = /^<!--\s*docs-test:\s*context\b[^\n]*\n([\s\S]*?)-->$/

/** Every fenced block of a Markdown text. A marker applies when it is the last non-blank text before the fence. */
export function codeBlocks (file: string, text: string): CodeBlock[] {
  const lines = text.split('\n')
  const blocks: CodeBlock[] = []
  let context: string | undefined
  let pending = ''
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i])
    if (open === null) {
      // HTML comments may span lines; collect the last one seen since the previous block or paragraph.
      const trimmed = lines[i].trim()
      if (trimmed.startsWith('<!--')) {
        let comment = lines[i].trim()
        while (!comment.endsWith('-->') && i + 1 < lines.length) comment += '\n' + lines[++i]
        const ctx = CONTEXT.exec(comment.trim())
        if (ctx !== null) context = ctx[1]
        else pending = comment.trim()
      } else if (trimmed !== '') {
        pending = ''
      }
      continue
    }
    const [, indent, fence, lang] = open
    const body: string[] = []
    const start = i + 2
    for (i++; i < lines.length && !lines[i].trimStart().startsWith(fence); i++) body.push(lines[i].startsWith(indent) ? lines[i].slice(indent.length) : lines[i])
    const skip = SKIP.exec(pending)?.[1]
    blocks.push({ file, line: start, lang: lang.toLowerCase(), code: body.join('\n') + '\n', ...(skip === undefined ? {} : { skip }), ...(context === undefined ? {} : { context }) })
    pending = ''
  }
  return blocks
}

// Generated or third-party Markdown: changesets, changelogs, benchmark output, dependencies, fixtures.
const IGNORED_DIRS = new Set(['node_modules', 'dist', '.tap', '.git', '.changeset', 'results', 'fixtures', 'coverage'])

/** The repository's Markdown files (READMEs, SECURITY.md, docs/), relative to `root`, sorted. */
export function markdownFiles (root: string, dir = root): string[] {
  const found: string[] = []
  for (const name of readdirSync(dir)) {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) {
      if (!IGNORED_DIRS.has(name)) found.push(...markdownFiles(root, path))
    } else if (name.endsWith('.md') && name !== 'CHANGELOG.md') {
      found.push(relative(root, path))
    }
  }
  return found.sort()
}

/** The blocks of every Markdown file of the repository. */
export function repositoryCodeBlocks (root: string): CodeBlock[] {
  return markdownFiles(root).flatMap(file => codeBlocks(file, readFileSync(join(root, file), 'utf8')))
}
