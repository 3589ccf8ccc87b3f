import { describe, expect, it } from 'vitest'
import { displayMoney, displayPoints, displayTime } from './format.ts'

describe('display formatting', () => {
  it.each([
    [0n, '$0.00'],
    [5n, '$0.05'],
    [2450n, '$24.50'],
    [123456789n, '$1,234,567.89'],
  ])('money %s → %s', (minor, text) => {
    expect(displayMoney(minor, 'AUD')).toBe(text)
  })

  it('spells out other currencies', () => {
    expect(displayMoney(100n, 'NZD')).toBe('NZD 1.00')
  })

  it('counts points', () => {
    expect(displayPoints(1n)).toBe('1 point')
    expect(displayPoints(25000n)).toBe('25,000 points')
  })

  it('shows times in the customer’s zone', () => {
    expect(displayTime(new Date('2026-11-28T09:30:00Z'), 'Australia/Sydney')).toBe(
      '28 Nov 2026, 8:30 pm AEDT',
    )
    expect(displayTime(new Date('2026-06-01T00:00:00Z'), 'Australia/Sydney')).toBe(
      '1 June 2026, 10:00 am AEST',
    )
  })
})
