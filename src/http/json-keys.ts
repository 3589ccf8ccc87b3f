const QUOTE = 0x22
const BACKSLASH = 0x5c
const COMMA = 0x2c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d

/** An object the scan is inside: the keys it has had so far, and the one being read. */
class ObjectLevel {
  readonly keys = new Set<string>()
  key?: string
}

/** An array the scan is inside, and the element being read. */
class ArrayLevel {
  index = 0
}

type Level = ObjectLevel | ArrayLevel

/**
 * The path (`card.pan`, `items[0].id`) of the first key that an object of this JSON text
 * repeats, or undefined. `JSON.parse` keeps the last of two values silently, so
 * `{"amount":5,"amount":500000}` would read as 500000 while a log or a proxy that keeps the
 * first reads 5. Keys are compared as the parser reads them: `"\u0061"` repeats `"a"`.
 *
 * One pass over the characters, with no tree built. Text that is not JSON is left to the
 * parser to refuse with its own message: undefined, whatever it repeats.
 */
export function duplicateKey(text: string): string | undefined {
  let path: string | undefined
  try {
    path = scan(text)
  } catch {
    // Not JSON: an escape the parser refuses, or a repeat in text it would refuse anyway.
  }
  return path
}

/**
 * Reads the text as if it were JSON: outside strings only brackets and commas matter, and a
 * string is a key when it comes right after `{` or after a comma inside an object. Throws when
 * what it finds repeated turns out to be in text that is not JSON.
 */
function scan(text: string): string | undefined {
  const levels: Level[] = []
  let top: Level | undefined
  // The object whose next string is a key, from its `{` or comma until that key.
  let awaiting: ObjectLevel | undefined
  let inString = false
  let start = 0
  let escaped = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) {
        escaped = true
        i++
      } else if (c === QUOTE) {
        inString = false
        if (awaiting === undefined) continue
        const raw = text.slice(start, i)
        // Stryker disable next-line ConditionalExpression: a fast path; parsing gives the same key
        const key: string = escaped ? JSON.parse(`"${raw}"`) : raw
        if (awaiting.keys.has(key)) {
          // Only a repeat in JSON is reported; the parser refuses the rest in its own words.
          JSON.parse(text)
          return pathOf(levels, key)
        }
        awaiting.keys.add(key)
        awaiting.key = key
        awaiting = undefined
      }
    } else if (c === QUOTE) {
      inString = true
      start = i + 1
      // Stryker disable next-line BooleanLiteral: a fast path; parsing gives the same key
      escaped = false
    } else if (c === OPEN_OBJECT) {
      awaiting = new ObjectLevel()
      top = awaiting
      levels.push(top)
    } else if (c === OPEN_ARRAY) {
      top = new ArrayLevel()
      levels.push(top)
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      levels.pop()
      top = levels.at(-1)
      // An empty object's `{` is answered here, not by a key.
      awaiting = undefined
    } else if (c === COMMA) {
      if (top instanceof ArrayLevel) top.index++
      else awaiting = top
    }
  }
  return undefined
}

/** `card.pan`, `items[0].id`: each object's key and each array's index down to the repeat. */
function pathOf(levels: readonly Level[], repeated: string): string {
  const last = levels.length - 1
  return levels
    .map((level, depth) =>
      level instanceof ArrayLevel
        ? `[${level.index}]`
        : `${depth === 0 ? '' : '.'}${depth === last ? repeated : level.key}`,
    )
    .join('')
}
