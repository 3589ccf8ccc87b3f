import { describe, expect, it } from 'vitest'
import { eventPayload, newMessageId, responseCode } from './payload.ts'

describe('responseCode (ISO 8583, as noebs)', () => {
  it.each([
    ['claim.settled', undefined, 0],
    ['claim.submitted', undefined, 9],
    ['claim.expiring', undefined, 9],
    ['claim.expired', undefined, 54],
    ['claim.cancelled', undefined, 69],
    ['claim.failed', 'ACCOUNT_INVALID', 14],
    ['claim.reopened', 'RAIL_REJECTED', 14],
    ['claim.failed', 'PAYEE_BLOCKED', 14],
    ['claim.failed', 'INSUFFICIENT_FUNDS', 51],
    ['claim.failed', 'RAIL_UNAVAILABLE', 91],
    ['claim.failed', 'SYSTEM_ERROR', 96],
    ['claim.failed', 'OPERATOR_FAILED', 69],
    ['claim.failed', undefined, 69],
  ])('%s (%s) → %i', (event, failure, code) => {
    expect(responseCode(event, failure).code).toBe(code)
  })
})

describe('eventPayload', () => {
  it('is the noebs body with real values, plus the claim', () => {
    const body = JSON.parse(
      eventPayload({
        provider: 'acme',
        event: 'claim.failed',
        sequence: 4,
        at: new Date('2026-11-21T10:00:00Z'),
        data: {
          id: 'order-1',
          livemode: false,
          uuid: '2ff61013-b559-4504-9eb7-aa6749c352f0',
          status: 'failed',
          status_reason: 'no',
          customer_id: 'c1',
          points: 2500,
          rule_version: 2,
          currency: 'AUD',
          gross_minor: 25,
          fee_minor: 1,
          fee_payer: 'customer',
          net_minor: 24,
          expires_at: '2026-11-28T10:00:00.000Z',
          destination: { type: 'payid', payid: 'j•••@example.com' },
          failure: {
            code: 'PAYEE_BLOCKED',
            reason: 'This account cannot receive payments.',
            attempt: 1,
            final: true,
          },
        },
      }),
    )
    expect(body).toEqual({
      name: 'acme',
      details: {
        response: 'Invalid account',
        code: 14,
        time: '2026-11-21T10:00:00.000Z',
        amount: 2500,
      },
      event: 'claim.failed',
      id: 'order-1',
      livemode: false,
      uuid: '2ff61013-b559-4504-9eb7-aa6749c352f0',
      status: 'failed',
      sequence: 4,
      points: 2500,
      cash: {
        amount_minor: 24,
        currency: 'AUD',
        fee_minor: 1,
        fee_payer: 'customer',
        gross_minor: 25,
      },
      rule_version: 2,
      customer_id: 'c1',
      expires_at: '2026-11-28T10:00:00.000Z',
      destination: { type: 'payid', payid: 'j•••@example.com' },
      failure: {
        code: 'PAYEE_BLOCKED',
        reason: 'This account cannot receive payments.',
        attempt: 1,
        final: true,
      },
    })
  })

  it('makes Standard Webhooks message ids', () => {
    expect(newMessageId()).toMatch(/^msg_[0-9a-f]{32}$/)
    expect(newMessageId()).not.toBe(newMessageId())
  })
})
