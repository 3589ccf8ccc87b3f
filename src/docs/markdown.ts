/**
 * The small Markdown that OpenAPI descriptions use (CommonMark's common subset), parsed into
 * plain data that a view renders with escaping. There is no HTML passthrough: `<b>` in a
 * description stays the text `<b>`, and a link keeps its href only for web, mail and in-page
 * addresses, so a document can never put script on the page.
 *
 * Supported: paragraphs, `-`/`*`/`+` and `1.` lists, fenced code blocks, `inline code`,
 * **bold**, *italic*, [links](https://…) and backslash escapes. Anything else stays text.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] }

export type Block =
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'list'; ordered: boolean; start: number; items: Inline[][] }
  | { kind: 'code'; text: string }

export type Markdown = Block[]

const LIST_ITEM = /^ {0,3}(?:([-*+])|(\d{1,9})[.)])[ \t]+(.*)$/
const FENCE = /^ {0,3}(```+|~~~+)/

export function parseMarkdown(source: string): Markdown {
  const lines = source.replace(/\r\n?/g, '\n').split('\n')
  const blocks: Block[] = []
  let paragraph: string[] = []
  let list: { ordered: boolean; start: number; items: string[][] } | undefined

  const flush = () => {
    if (paragraph.length > 0) {
      blocks.push({ kind: 'paragraph', children: parseInline(paragraph.join('\n')) })
      paragraph = []
    }
    if (list) {
      const items = list.items.map((item) => parseInline(item.join('\n')))
      blocks.push({ kind: 'list', ordered: list.ordered, start: list.start, items })
      list = undefined
    }
  }

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    const fence = FENCE.exec(line)
    if (fence) {
      flush()
      const marker = fence[1] ?? '```'
      const body: string[] = []
      for (i++; i < lines.length && !(lines[i] ?? '').trimStart().startsWith(marker); i++) {
        body.push(lines[i] ?? '')
      }
      blocks.push({ kind: 'code', text: body.join('\n') })
      continue
    }
    if (line.trim() === '') {
      flush()
      continue
    }
    const item = LIST_ITEM.exec(line)
    if (item) {
      const ordered = item[2] !== undefined
      if (paragraph.length > 0 || (list && list.ordered !== ordered)) flush()
      list ??= { ordered, start: ordered ? Number(item[2]) : 1, items: [] }
      list.items.push([item[3] ?? ''])
      continue
    }
    // An indented or lazy line continues the list item above it, as in CommonMark.
    const lastItem = list?.items.at(-1)
    if (lastItem) lastItem.push(line.trim())
    else paragraph.push(line.trim())
  }
  flush()
  return blocks
}

const SAFE_HREF = /^(?:https?:\/\/|mailto:|\/(?!\/)|#)/i
const ESCAPABLE = /[\\`*_[\]()#+\-.!<>{}|~"']/

/** Inline spans of one paragraph or list item; soft line breaks become spaces. */
export function parseInline(source: string): Inline[] {
  const out: Inline[] = []
  let text = ''
  const pushText = (value: string) => {
    text += value
  }
  const pushNode = (node: Inline) => {
    if (text) out.push({ kind: 'text', text })
    text = ''
    out.push(node)
  }

  const s = source.replace(/[ \t]*\n[ \t]*/g, ' ')
  let i = 0
  while (i < s.length) {
    const ch = s[i] ?? ''
    if (ch === '\\' && ESCAPABLE.test(s[i + 1] ?? '')) {
      pushText(s[i + 1] ?? '')
      i += 2
      continue
    }
    if (ch === '`') {
      const run = /^`+/.exec(s.slice(i))?.[0] ?? '`'
      const close = findBacktickRun(s, i + run.length, run.length)
      if (close === -1) {
        pushText(run)
        i += run.length
        continue
      }
      let code = s.slice(i + run.length, close)
      if (code.length > 2 && code.startsWith(' ') && code.endsWith(' ') && code.trim()) {
        code = code.slice(1, -1)
      }
      pushNode({ kind: 'code', text: code })
      i = close + run.length
      continue
    }
    if (ch === '*' || ch === '_') {
      const span = emphasis(s, i)
      if (span) {
        pushNode(span.node)
        i = span.end
        continue
      }
    }
    if (ch === '[') {
      const link = linkAt(s, i)
      if (link) {
        if (link.href) pushNode({ kind: 'link', href: link.href, children: link.children })
        else for (const child of link.children) pushNode(child)
        i = link.end
        continue
      }
    }
    pushText(ch)
    i++
  }
  if (text) out.push({ kind: 'text', text })
  return out
}

function findBacktickRun(s: string, from: number, length: number): number {
  for (let j = from; j < s.length; j++) {
    if (s[j] !== '`') continue
    const run = /^`+/.exec(s.slice(j))?.[0].length ?? 0
    if (run === length) return j
    j += run - 1
  }
  return -1
}

const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c)
const isSpace = (c: string | undefined) => c === undefined || /\s/.test(c)

/**
 * `**strong**`, `*em*` and their underscore forms. Underscores only open and close at word
 * boundaries, so `request_id` and `OPERATOR_TOKEN` stay as they are written.
 */
function emphasis(s: string, i: number): { node: Inline; end: number } | undefined {
  const marker = s[i] ?? ''
  const double = s[i + 1] === marker
  const delimiter = double ? marker + marker : marker
  const start = i + delimiter.length
  if (isSpace(s[start]) || (marker === '_' && isWordChar(s[i - 1]))) return undefined
  for (let j = start + 1; j <= s.length - delimiter.length; j++) {
    if (s[j] === '`') {
      // A code span inside emphasis is kept whole: its stars are not delimiters.
      const run = /^`+/.exec(s.slice(j))?.[0].length ?? 1
      const close = findBacktickRun(s, j + run, run)
      if (close !== -1) j = close + run - 1
      continue
    }
    if (s.slice(j, j + delimiter.length) !== delimiter) continue
    if (!double && s[j + 1] === marker) {
      j++
      continue
    }
    if (isSpace(s[j - 1])) continue
    if (marker === '_' && isWordChar(s[j + delimiter.length])) continue
    const children = parseInline(s.slice(start, j))
    return {
      node: double ? { kind: 'strong', children } : { kind: 'em', children },
      end: j + delimiter.length,
    }
  }
  return undefined
}

/** `[text](href)`; an address that is not web, mail or in-page keeps its text and loses the link. */
function linkAt(
  s: string,
  i: number,
): { href: string | undefined; children: Inline[]; end: number } | undefined {
  let depth = 0
  let close = -1
  for (let j = i; j < s.length; j++) {
    if (s[j] === '\\') j++
    else if (s[j] === '[') depth++
    else if (s[j] === ']' && --depth === 0) {
      close = j
      break
    }
  }
  if (close === -1 || s[close + 1] !== '(') return undefined
  // The address may hold balanced parentheses, as CommonMark allows: `[x](a(1))`.
  let j = close + 2
  let parens = 0
  const from = j
  for (; j < s.length && !/\s/.test(s[j] ?? ''); j++) {
    if (s[j] === '(') parens++
    else if (s[j] === ')' && parens-- === 0) break
  }
  const href = s.slice(from, j)
  const rest = /^(?:\s+"[^"]*")?\s*\)/.exec(s.slice(j))
  if (!rest) return undefined
  return {
    href: SAFE_HREF.test(href) ? href : undefined,
    children: parseInline(s.slice(i + 1, close)),
    end: j + rest[0].length,
  }
}

/** The text of some Markdown without its marks, for places that only take text (a title). */
export function plainText(source: string): string {
  const walk = (nodes: Inline[]): string =>
    nodes.map((n) => (n.kind === 'text' || n.kind === 'code' ? n.text : walk(n.children))).join('')
  return parseMarkdown(source)
    .map((b) =>
      b.kind === 'paragraph'
        ? walk(b.children)
        : b.kind === 'list'
          ? b.items.map(walk).join(' ')
          : b.text,
    )
    .join(' ')
}
