import { describe, expect, it } from 'vitest'
import { nameProblem, RESERVED_NAMES } from './names.ts'

describe('provider names', () => {
  it.each([
    'acme-rewards',
    'acme',
    'prov-12-x8k2p1',
    'shop-2026',
    'a1b2c3d4e5f6g7h8',
    'atomic-points', // "ato" only as a whole word
    'anzac-biscuits',
    'nabisco-club',
    'snack-bar',
    'my-help-desk-club',
    'rewards-operator-co',
    'rail-way-club',
    'ingenious',
    '12345678901', // 11 digits: a phone number, not a card
  ])('accepts %s', (name) => {
    expect(nameProblem(name)).toBeUndefined()
  })

  it.each([
    ['4111111111111111', /card number/],
    ['acme-411111111111', /card number/],
    ['4111-1111-1111-1111', /card number/],
    ['acme-1234-5678-9012', /card number/],
    ['rewards-000000000000', /card number/],
  ])('refuses %s, which could hold a card number', (name, problem) => {
    expect(nameProblem(name)).toMatch(problem)
  })

  it.each([
    'operator',
    'console',
    'admin',
    'api',
    'docs',
    'openapi',
    'healthz',
    'readyz',
    'assets',
    'rail',
    'cashout',
    'www',
    'support',
    'help',
    'login',
    'signin',
    'root',
    'system',
    'sandbox',
  ])('refuses the reserved name %s', (name) => {
    expect(RESERVED_NAMES.has(name)).toBe(true)
    expect(nameProblem(name)).toMatch(/reserved/)
  })

  it.each([
    ['commbank', 'commbank'],
    ['commbank-rewards', 'commbank'],
    ['mycommbank', 'commbank'],
    ['commonwealth-points', 'commonwealth'],
    ['westpac', 'westpac'],
    ['westpacrewards', 'westpac'],
    ['w3stpac-points', 'westpac'],
    ['anz', 'anz'],
    ['anz-rewards', 'anz'],
    ['rewards-nab', 'nab'],
    ['my-nab-points', 'nab'],
    ['stgeorge-club', 'stgeorge'],
    ['st-george-club', 'stgeorge'],
    ['hello-clever', 'helloclever'],
    ['helloclever-payouts', 'helloclever'],
    ['paypal-cash', 'paypal'],
    ['pay-pal', 'paypal'],
    ['paypa1', 'paypal'],
    ['payid-refunds', 'payid'],
    ['osko-pay', 'osko'],
    ['ato-refunds', 'ato'],
    ['mygov-rewards', 'mygov'],
    ['cashout-support', 'cashout'],
  ])('refuses %s, which looks like %s', (name, brand) => {
    const problem = nameProblem(name)
    expect(problem).toMatch(/bank, a payment brand or Cashout/)
    expect(problem).toContain(`“${brand}”`)
  })

  it('judges only names that are otherwise well formed', () => {
    // The shape rule (SLUG) reports those; one message per problem is enough.
    expect(nameProblem('Admin')).toBeUndefined()
    expect(nameProblem('a')).toBeUndefined()
  })
})
