import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { majorToMinor, minorToMajor } from './money.ts'

describe('major and minor units', () => {
  it.each([
    [0n, '0.00'],
    [1n, '0.01'],
    [150n, '1.50'],
    [1234n, '12.34'],
    [900719925474099n, '9007199254740.99'],
  ])('%s minor units are %s', (minor, major) => {
    expect(minorToMajor(minor)).toBe(major)
  })

  it.each([
    [10, 1000n],
    [12.5, 1250n],
    [0.29, 29n],
    [1.1, 110n],
    ['1000.00', 100000n],
    ['7.5', 750n],
    ['0', 0n],
  ])('reads %j as %s minor units, exactly', (major, minor) => {
    expect(majorToMinor(major)).toBe(minor)
  })

  it.each([
    ['1.234'],
    ['-1.00'],
    ['01.00'],
    ['1e3'],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [null],
    [{}],
    [''],
    [' 1.00'],
  ])('refuses %j', (value) => {
    expect(majorToMinor(value)).toBeUndefined()
  })

  it('round-trips every amount, through a decimal string and through a JSON number', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 900_719_925_474_099n }), (minor) => {
        const text = minorToMajor(minor)
        expect(majorToMinor(text)).toBe(minor)
        expect(majorToMinor(JSON.parse(text))).toBe(minor)
      }),
    )
  })
})
