import { describe, expect, it } from 'vitest'
import { decodeUtf8 } from './utf8.ts'

const bytes = (...values: number[]) => new Uint8Array(values)

describe('decodeUtf8', () => {
  it('decodes UTF-8 from a Uint8Array or an ArrayBuffer', () => {
    const encoded = new TextEncoder().encode('Zoë pays $5 🙂')
    expect(decodeUtf8(encoded)).toBe('Zoë pays $5 🙂')
    expect(decodeUtf8(encoded.slice().buffer)).toBe('Zoë pays $5 🙂')
    expect(decodeUtf8(bytes())).toBe('')
  })

  it.each([
    [[0x75, 0xff], 'a byte never used in UTF-8'],
    [[0x75, 0xfe], 'another byte never used in UTF-8'],
    [[0x80], 'a continuation byte on its own'],
    [[0xc3], 'a character cut off at the end'],
    [[0xe2, 0x82, 0x41], 'a character cut off before the next'],
    [[0xc0, 0xaf], 'an overlong encoding of /'],
    [[0xed, 0xa0, 0x80], 'an encoded surrogate'],
    [[0xf4, 0x90, 0x80, 0x80], 'a code point past U+10FFFF'],
  ])('refuses %j (%s) instead of replacing it', (values) => {
    expect(decodeUtf8(bytes(...values))).toBeUndefined()
  })

  it('drops a leading byte order mark, and keeps one anywhere else', () => {
    expect(decodeUtf8(bytes(0xef, 0xbb, 0xbf, 0x61))).toBe('a')
    expect(decodeUtf8(bytes(0x61, 0xef, 0xbb, 0xbf))).toBe('a\uFEFF')
  })

  it('carries nothing from a refused input into the next one', () => {
    // A character cut off at the end must not be completed by the next call's bytes.
    expect(decodeUtf8(bytes(0xe2, 0x82))).toBeUndefined()
    expect(decodeUtf8(bytes(0xac))).toBeUndefined()
    expect(decodeUtf8(bytes(0x61))).toBe('a')
  })
})
