import { describe, expect, it } from 'vitest'
import { luhnValid } from './luhn.ts'

describe('luhnValid', () => {
  it.each([
    ['4111111111111111', true],
    ['4111111111111112', false],
    ['5555555555554444', true],
    ['5555555555554445', false],
    ['4222222222222', true],
    ['6392110000000000002', true],
    ['79927398713', true],
    ['79927398710', false],
    ['0', true],
    ['18', true],
    ['19', false],
    ['', false],
    ['4111-1111', false],
  ])('%s → %s', (digits, valid) => {
    expect(luhnValid(digits)).toBe(valid)
  })

  it('catches every single mistyped digit', () => {
    const card = '4111111111111111'
    for (let i = 0; i < card.length; i++) {
      for (const digit of '0123456789') {
        if (digit === card[i]) continue
        const typo = `${card.slice(0, i)}${digit}${card.slice(i + 1)}`
        expect(luhnValid(typo)).toBe(false)
      }
    }
  })

  it('catches two neighbouring digits swapped, bar the 09 ↔ 90 blind spot', () => {
    expect(luhnValid('79927398713')).toBe(true)
    expect(luhnValid('97927398713')).toBe(false)
    expect(luhnValid('79927389713')).toBe(false)
    expect(luhnValid('4111111111111190')).toBe(luhnValid('4111111111111109'))
  })

  it('takes only digits, even a character whose code would keep the sum', () => {
    // ':' follows '9' in ASCII: read by its code it would count as ten and leave the sum valid.
    expect(luhnValid('4111111111111160')).toBe(true)
    for (const text of [
      ':4111111111111111',
      '411111111111116:',
      ' 4111111111111111',
      '4111111111111111\n',
      '4111 1111 1111 1111',
      '+4111111111111111',
    ]) {
      expect(luhnValid(text)).toBe(false)
    }
  })
})
