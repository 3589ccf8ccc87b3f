/**
 * Splits a SQL script into statements on top-level semicolons, leaving semicolons inside
 * quotes, quoted identifiers, dollar-quoted bodies and comments alone. Needed because the
 * extended query protocol (used by PGlite's `query`) accepts one statement at a time.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = []
  let start = 0
  let i = 0
  const n = script.length
  const push = (end: number) => {
    const text = script.slice(start, end).trim()
    if (text !== '' && !isOnlyComments(text)) statements.push(text)
  }
  while (i < n) {
    const ch = script[i]
    const next = script[i + 1]
    if (ch === '-' && next === '-') {
      const eol = script.indexOf('\n', i)
      i = eol === -1 ? n : eol + 1
    } else if (ch === '/' && next === '*') {
      i = skipBlockComment(script, i)
    } else if (ch === "'") {
      const escapes = i > 0 && /[eE]/.test(script[i - 1] ?? '') && !/\w/.test(script[i - 2] ?? '')
      i = skipQuoted(script, i, "'", escapes)
    } else if (ch === '"') {
      i = skipQuoted(script, i, '"', false)
    } else if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i))
      if (tag && !/\w/.test(script[i - 1] ?? '')) {
        const close = script.indexOf(tag[0], i + tag[0].length)
        i = close === -1 ? n : close + tag[0].length
      } else {
        i++
      }
    } else if (ch === ';') {
      push(i)
      start = i + 1
      i++
    } else {
      i++
    }
  }
  push(n)
  return statements
}

function skipQuoted(script: string, open: number, quote: string, backslashEscapes: boolean) {
  let i = open + 1
  while (i < script.length) {
    const ch = script[i]
    if (backslashEscapes && ch === '\\') {
      i += 2
    } else if (ch === quote) {
      if (script[i + 1] === quote) i += 2
      else return i + 1
    } else {
      i++
    }
  }
  return i
}

function skipBlockComment(script: string, open: number) {
  let depth = 0
  let i = open
  while (i < script.length) {
    if (script[i] === '/' && script[i + 1] === '*') {
      depth++
      i += 2
    } else if (script[i] === '*' && script[i + 1] === '/') {
      depth--
      i += 2
      if (depth === 0) return i
    } else {
      i++
    }
  }
  return i
}

function isOnlyComments(text: string): boolean {
  let rest = text
  for (;;) {
    if (rest.startsWith('--')) {
      const eol = rest.indexOf('\n')
      rest = eol === -1 ? '' : rest.slice(eol + 1).trim()
    } else if (rest.startsWith('/*')) {
      rest = rest.slice(skipBlockComment(rest, 0)).trim()
    } else {
      return rest === ''
    }
  }
}
