import { describe, expect, it } from 'vitest'
import { classifyRefusal, classifyReportedFailure, FAILURE_TABLE, railCode } from './classify.ts'

describe('refusals, as the documents allow', () => {
  it('HC_PAYOUT1 is the merchant balance, whatever the status and wherever the code sits', () => {
    for (const body of [
      { errors: { code: 'HC_PAYOUT1', message: 'Insufficient funds to payout.' } },
      { error_code: 'HC_PAYOUT1', error_message: 'Insufficient funds to payout.' },
    ]) {
      expect(classifyRefusal(400, body)).toMatchObject({
        kind: 'merchant_balance',
        code: 'HC_PAYOUT1',
      })
      expect(classifyRefusal(422, body).kind).toBe('merchant_balance')
    }
  })

  it('401 and 403 are our credentials', () => {
    const body = { errors: { code: 'REQUIRE_LOGIN', message: 'Not Authorised' } }
    expect(classifyRefusal(401, body)).toMatchObject({ kind: 'credentials', code: 'REQUIRE_LOGIN' })
    expect(classifyRefusal(403, undefined).kind).toBe('credentials')
  })

  it.each([404, 408, 429, 500, 502, 503, 302])('%s says nothing about the payout', (status) => {
    expect(classifyRefusal(status, undefined).kind).toBe('unavailable')
  })

  it('a 400 or 422 naming a destination field is the destination, with the field and line', () => {
    expect(
      classifyRefusal(422, {
        errors: { 'cashback_transaction_detail.payout_method_params.bsb': 'is invalid' },
      }),
    ).toMatchObject({ kind: 'destination', field: 'bsb', detail: expect.stringContaining('bsb') })
    expect(
      classifyRefusal(422, { errors: { 'payout_transaction_details[7].payid': 'is invalid' } }),
    ).toMatchObject({ kind: 'destination', field: 'payid', line: 7 })
  })

  it('anything else is unknown, never the customer’s fault', () => {
    for (const [status, body] of [
      [400, { errors: { code: 'DUPLICATE_TRANSACTION', message: 'used' } }],
      [422, { errors: { 'cashback_transaction_detail.amount': 'is invalid' } }],
      [409, undefined],
      [400, 'not json'],
    ] as const) {
      expect(classifyRefusal(status, body).kind).toBe('unknown')
    }
  })

  it('keeps no digit run that could be account details in what it records', () => {
    const problem = classifyRefusal(422, {
      errors: { 'payout_method_params.account_number': '12345678 is closed' },
    })
    expect(problem.detail).not.toContain('12345678')
    expect(problem.detail).toContain('[digits]')
  })

  it('reads the rail’s code from each envelope', () => {
    expect(railCode({ error_code: 'A' })).toBe('A')
    expect(railCode({ errors: { code: 'B' } })).toBe('B')
    expect(railCode({ code: 'C' })).toBe('C')
    expect(railCode({ errors: { bsb: 'x' } })).toBeUndefined()
  })
})

describe('failures the rail reports after taking a payout', () => {
  it('insufficient funds is the merchant balance, by code or by the document’s message', () => {
    expect(classifyReportedFailure('HC_PAYOUT1', undefined).kind).toBe('merchant_balance')
    expect(
      classifyReportedFailure(undefined, 'Payment failed due to insufficient funds.').kind,
    ).toBe('merchant_balance')
  })

  it('the sandbox’s account codes are the destination; a blocked payee is final', () => {
    expect(classifyReportedFailure('ACCOUNT_INVALID', 'x')).toMatchObject({
      kind: 'destination',
      final: false,
    })
    expect(classifyReportedFailure('PAYEE_BLOCKED', 'x')).toMatchObject({
      kind: 'destination',
      final: true,
    })
  })

  it('a reason no document defines is unknown', () => {
    expect(classifyReportedFailure(undefined, undefined).kind).toBe('unknown')
    expect(classifyReportedFailure('COMPLIANCE_REVIEW', 'stopped').kind).toBe('unknown')
  })
})

describe('the failure table', () => {
  it('has one row per kind, and README shows the same rows', async () => {
    const { readFile } = await import('node:fs/promises')
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const kinds = FAILURE_TABLE.map((row) => row.kind)
    expect(new Set(kinds).size).toBe(kinds.length)
    for (const row of FAILURE_TABLE) {
      expect(readme).toContain(
        `| \`${row.kind}\` | ${row.signal} | ${row.action} | ${row.customer} |`,
      )
    }
  })
})
