import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { duplicateKey } from './json-keys.ts'

describe('duplicateKey', () => {
  it.each([
    ['{"amount":5,"amount":500000}', 'amount'],
    ['{"a":1,"b":2,"a":3}', 'a'],
    ['{"a":1,"a":2,"b":3,"b":4}', 'a'],
    ['  {  "id" : "x" ,\n\t"id" : "y" }  ', 'id'],
    ['{"card":{"pan":"4111","pan":"5555"}}', 'card.pan'],
    ['{"card":{"pan":"4111"},"card":{"pan":"5555"}}', 'card'],
    ['{"a":{"b":{"c":1,"c":2}}}', 'a.b.c'],
    ['{"items":[{"id":1,"id":2}]}', 'items[0].id'],
    ['{"items":[{"id":1},{"id":2},{"id":3,"id":4}]}', 'items[2].id'],
    ['{"items":[1,"two",[3],{"x":[4]},{"id":5,"id":6}]}', 'items[4].id'],
    ['{"m":[[{"k":1}],[{"k":1,"k":2}]]}', 'm[1][0].k'],
    ['[{"a":1},{"a":2,"a":3}]', '[1].a'],
    ['[[],[{}],{"x":{"y":1,"y":2}}]', '[2].x.y'],
    ['{"":1,"":2}', ''],
    ['{"a.b":1,"a.b":2}', 'a.b'],
    ['{"x":{"a":1},"y":{"a":2},"y":3}', 'y'],
    ['{"x":[1,2],"y":{"a":{},"a":{}}}', 'y.a'],
  ])('%s repeats %j', (text, path) => {
    expect(duplicateKey(text)).toBe(path)
  })

  it.each([
    ['{"a":1,"b":2}', 'distinct keys'],
    ['{"a":{"a":{"a":1}}}', 'one name at different depths'],
    ['{"a":{"x":1},"b":{"x":2}}', 'one name in sibling objects'],
    ['[{"id":1},{"id":2}]', 'one name in each element of an array'],
    ['{"a":"a","b":"a"}', 'a key spelt like another value'],
    ['{"a":["a","a"]}', 'strings in an array'],
    ['[{},"x","x"]', 'strings after an empty object in an array'],
    ['{"o":{},"l":["k","k"]}', 'strings in an array after an empty object'],
    ['{"k":"\\"k\\":1,\\"k\\":2"}', 'what looks like keys inside a string'],
    ['{"k":"{\\"x\\":1,\\"x\\":2}","x":3}', 'an object inside a string'],
    ['{"a\\\\":1,"a":2}', 'an escaped backslash, not an escaped quote'],
    ['{"A":1,"a":2}', 'keys that differ in case'],
    ['{"é":1,"e\\u0301":2}', 'keys equal only once normalised'],
    ['{}', 'an empty object'],
    ['[]', 'an empty array'],
    ['"a"', 'a string alone'],
    ['12', 'a number alone'],
    ['null', 'a literal alone'],
    ['{"a":true,"b":false,"c":null,"d":-1.5e3}', 'literals and numbers between keys'],
  ])('%s has none (%s)', (text) => {
    expect(duplicateKey(text)).toBeUndefined()
  })

  it.each([
    ['{"a":1,"\\u0061":2}', 'a', 'a unicode escape'],
    ['{"\\u0061":1,"a":2}', 'a', 'a unicode escape first'],
    ['{"a\\"b":1,"a\\"b":2}', 'a"b', 'an escaped quote'],
    ['{"a\\"b":1,"a\\u0022b":2}', 'a"b', 'two escapes of one quote'],
    ['{"a\\\\":1,"a\\u005c":2}', 'a\\', 'a backslash escaped two ways'],
    ['{"\\/":1,"/":2}', '/', 'an escaped solidus'],
    ['{"\\n":1,"\\u000a":2}', '\n', 'a newline escaped two ways'],
    ['{"\\ud83d\\ude00":1,"😀":2}', '😀', 'a surrogate pair and the character'],
    ['{"é":1,"\\u00e9":2}', 'é', 'a non-ASCII character and its escape'],
  ])('%s repeats %j (%s), compared once unescaped', (text, path) => {
    expect(duplicateKey(text)).toBe(path)
  })

  it.each([
    ['{"a":1,"a":2', 'cut off after the repeat'],
    ['{"a":1,"a":2,}', 'a trailing comma'],
    ['{"a":1,"a":2}}', 'a brace too many'],
    ['{"a":1,"a":2} x', 'text after the value'],
    ['{"a":1,"a":2,"b":tru}', 'a broken literal after the repeat'],
    ['{"a":1,"\\u006":2,"\\u006":3}', 'a broken unicode escape in the repeated key'],
    ['{"a":1,"\\x":2,"\\x":3}', 'an escape JSON does not have, in the repeated key'],
    ['{"a":1,"a', 'cut off inside the repeated key'],
    ['{"a":1,"a\\', 'cut off inside an escape'],
    [']', 'a closing bracket alone'],
    ['}{"a":1,"a":2}', 'a closing brace first'],
    ['', 'nothing'],
  ])('%s is left to the parser (%s)', (text) => {
    expect(() => JSON.parse(text)).toThrow()
    expect(duplicateKey(text)).toBeUndefined()
  })

  it('finds nothing in any JSON that JSON.stringify writes, which never repeats a key', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(duplicateKey(JSON.stringify(value))).toBeUndefined()
        expect(duplicateKey(JSON.stringify(value, null, 2))).toBeUndefined()
      }),
    )
  })

  it('finds a key written twice in any object, escaped or not, at its path', () => {
    const key = fc.string({ unit: 'grapheme', maxLength: 8 })
    fc.assert(
      fc.property(
        fc.dictionary(key, fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 5 }),
        fc.nat(),
        fc.boolean(),
        fc.array(fc.constantFrom('outer', 0), { maxLength: 3 }),
        (object, pick, escaped, nesting) => {
          const keys = Object.keys(object)
          const repeated = keys[pick % keys.length] ?? ''
          const spelt = escaped ? escapeAll(repeated) : JSON.stringify(repeated)
          let text = `${JSON.stringify(object).slice(0, -1)},${spelt}:0}`
          let path: (string | number)[] = [repeated]
          for (const step of nesting) {
            text = step === 0 ? `[${text}]` : `{"outer":${text}}`
            path = [step, ...path]
          }
          expect(duplicateKey(text)).toBe(written(path))
        },
      ),
    )
  })

  // A body is at most 64 KiB; these fill it in the ways that would cost most.
  it('finds a repeat after thousands of keys, at the bottom of thousands of objects, or spelt in escapes', () => {
    const keys = Array.from({ length: 8_000 }, (_, i) => `"k${i}":${i}`).join(',')
    expect(duplicateKey(`{${keys},"k7999":0}`)).toBe('k7999')
    const deep = `${'{"a":'.repeat(12_000)}{"b":1,"b":2}${'}'.repeat(12_000)}`
    expect(duplicateKey(deep)).toBe(`${'a.'.repeat(12_000)}b`)
    const long = 'x'.repeat(10_000)
    expect(duplicateKey(`{"${long}":1,"${'\\u0078'.repeat(10_000)}":2}`)).toBe(long)
  })
})

/** A key with every character written as a \u escape, as a sender may spell it. */
function escapeAll(key: string): string {
  let out = '"'
  for (let i = 0; i < key.length; i++)
    out += `\\u${key.charCodeAt(i).toString(16).padStart(4, '0')}`
  return `${out}"`
}

/** A path as messages write it: `items[0].id`. */
function written(path: (string | number)[]): string {
  return path
    .map((step, i) => (typeof step === 'number' ? `[${step}]` : i === 0 ? step : `.${step}`))
    .join('')
}
