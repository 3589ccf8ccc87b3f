import type { HonoRequest } from 'hono'
import { decodeUtf8 } from './utf8.ts'

const FORM_TYPE = /^\s*application\/x-www-form-urlencoded\s*(;|$)/i

/**
 * A form post read the way our pages send it, or undefined: urlencoded, UTF-8 throughout (raw
 * bytes and `%` escapes alike), each field once. A lenient reader turns `%FF` into U+FFFD and
 * keeps the last of two `account_number`s; a browser on our page never sends either, so
 * whatever does is refused rather than guessed at.
 */
export async function readStrictForm(
  req: HonoRequest,
): Promise<Record<string, string> | undefined> {
  const type = req.header('content-type')
  // Stryker disable next-line StringLiteral: no type is refused whatever text stands in for it
  if (!FORM_TYPE.test(type ?? '')) return undefined
  const text = decodeUtf8(await req.arrayBuffer())
  if (text === undefined) return undefined
  const fields = new Map<string, string>()
  for (const pair of text.split('&')) {
    if (pair === '') continue
    const eq = pair.indexOf('=')
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq))
    const value = decodeComponent(eq < 0 ? '' : pair.slice(eq + 1))
    if (key === undefined || value === undefined || fields.has(key)) return undefined
    fields.set(key, value)
  }
  return Object.fromEntries(fields)
}

/** `decodeURIComponent` refuses broken escapes and escapes that are not UTF-8 (`%FF`, `%80`). */
function decodeComponent(raw: string): string | undefined {
  try {
    // Stryker disable BlockStatement: emptied, the catch below falls through to the same undefined
    return decodeURIComponent(raw.replaceAll('+', ' '))
  } catch {
    // Stryker restore BlockStatement
    return undefined
  }
}
