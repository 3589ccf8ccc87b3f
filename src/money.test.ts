import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { formatMoney, jsonInt, MAX_JSON_INT, majorToMinor, minorToMajor } from './money.ts'

describe('jsonInt', () => {
  it('bounds amounts at 2^53 − 1, the largest integer a JSON number holds exactly', () => {
    expect(MAX_JSON_INT).toBe(2n ** 53n - 1n)
    expect(Number.isSafeInteger(Number(MAX_JSON_INT))).toBe(true)
    expect(Number.isSafeInteger(Number(MAX_JSON_INT + 1n))).toBe(false)
  })

  it.each([0n, 1n, -1n, 123_456n, MAX_JSON_INT, -MAX_JSON_INT])(
    'gives %s as a number that survives JSON unchanged',
    (value) => {
      const json = JSON.stringify({ amount: jsonInt(value) })
      expect(BigInt(JSON.parse(json).amount)).toBe(value)
    },
  )

  it.each([MAX_JSON_INT + 1n, -MAX_JSON_INT - 1n, 2n ** 63n])(
    'refuses %s rather than send a rounded amount',
    (value) => {
      expect(() => jsonInt(value)).toThrow(RangeError)
      expect(() => jsonInt(value)).toThrow(String(value))
    },
  )

  it('passes exactly the amounts that round-trip through JSON', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 60n), max: 2n ** 60n }), (value) => {
        const exact = value >= -MAX_JSON_INT && value <= MAX_JSON_INT
        if (exact) expect(BigInt(jsonInt(value))).toBe(value)
        else expect(() => jsonInt(value)).toThrow(RangeError)
      }),
    )
  })
})

describe('formatMoney', () => {
  it.each([
    [1234n, 'AUD 12.34'],
    [5n, 'AUD 0.05'],
    [100n, 'AUD 1.00'],
    [0n, 'AUD 0.00'],
    [123_456_789n, 'AUD 1234567.89'],
    [-1234n, '-AUD 12.34'],
    [-5n, '-AUD 0.05'],
  ])('writes %s minor units as %s', (minor, text) => {
    expect(formatMoney(minor, 'AUD')).toBe(text)
  })

  it('names the currency it is given', () => {
    expect(formatMoney(250n, 'NZD')).toBe('NZD 2.50')
  })
})

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

  it('refuses a negative amount for the rail instead of writing it', () => {
    expect(() => minorToMajor(-1n)).toThrow(RangeError)
    expect(() => minorToMajor(-1n)).toThrow(/positive/)
    expect(() => minorToMajor(-150n)).toThrow(RangeError)
  })

  it.each([
    [10, 1000n],
    [12.5, 1250n],
    [0.29, 29n],
    [1.1, 110n],
    [0.05, 5n],
    ['1000.00', 100000n],
    ['7.5', 750n],
    ['0.05', 5n],
    ['0', 0n],
  ])('reads %j as %s minor units, exactly', (major, minor) => {
    expect(majorToMinor(major)).toBe(minor)
  })

  it.each([
    ['1.234'],
    ['-1.00'],
    [-1],
    ['01.00'],
    ['1e3'],
    [1e21],
    [Number.NaN],
    [Number.POSITIVE_INFINITY],
    [Number.NEGATIVE_INFINITY],
    [null],
    [undefined],
    [true],
    [{}],
    [''],
    [' 1.00'],
  ])('refuses %j', (value) => {
    expect(majorToMinor(value)).toBeUndefined()
  })

  it('refuses containers that merely print as an amount', () => {
    expect(majorToMinor(['12.34'])).toBeUndefined()
    expect(majorToMinor([10])).toBeUndefined()
    expect(majorToMinor({ toString: () => '12.34' })).toBeUndefined()
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
