import { floatLowPayload } from './float-low.ts'
import type { ClaimWebhookEvent } from './openapi.ts'
import { type EventData, eventPayload, testPayload } from './payload.ts'

/**
 * An example body of each event, made by the very builders that make real ones, so the
 * document shows `claim.settled` with `"status": "settled"` and code 0, never a placeholder.
 */
const AT = new Date('2026-03-01T09:30:00Z')

const CLAIM: EventData = {
  id: 'order-8812',
  uuid: '2ff61013-b559-4504-9eb7-aa6749c352f0',
  livemode: true,
  status: 'submitted',
  status_reason: null,
  customer_id: 'customer-77',
  points: 2500,
  rule_version: 3,
  currency: 'AUD',
  gross_minor: 2500,
  fee_minor: 0,
  fee_payer: 'provider',
  net_minor: 2500,
  expires_at: '2026-03-08T09:00:00.000Z',
  destination: { type: 'payid', payid_type: 'email', payid: 'j•••@example.com' },
}

const INVALID_ACCOUNT = {
  code: 'ACCOUNT_INVALID',
  reason: 'The bank says this account does not exist.',
}

const CLAIM_EXAMPLES: Record<ClaimWebhookEvent, { sequence: number; data: Partial<EventData> }> = {
  'claim.submitted': { sequence: 2, data: {} },
  'claim.settled': { sequence: 3, data: { status: 'settled' } },
  'claim.failed': {
    sequence: 3,
    data: { status: 'failed', failure: { ...INVALID_ACCOUNT, attempt: 3, final: true } },
  },
  'claim.reopened': {
    sequence: 3,
    data: { status: 'open', failure: { ...INVALID_ACCOUNT, attempt: 1, final: false } },
  },
  'claim.expiring': { sequence: 2, data: { status: 'open', destination: undefined } },
  'claim.expired': { sequence: 2, data: { status: 'expired', destination: undefined } },
  'claim.cancelled': { sequence: 2, data: { status: 'cancelled', destination: undefined } },
}

export function exampleEvent(name: string): unknown {
  if (name === 'float.low') {
    return JSON.parse(
      floatLowPayload('acme-rewards', {
        providerId: '',
        livemode: true,
        availableMinor: 48_000n,
        thresholdMinor: 50_000n,
        currency: 'AUD',
        at: AT,
      }),
    )
  }
  if (name === 'webhook.test') return JSON.parse(testPayload('acme-rewards', true, AT))
  const example = CLAIM_EXAMPLES[name as ClaimWebhookEvent]
  return JSON.parse(
    eventPayload({
      provider: 'acme-rewards',
      event: name as ClaimWebhookEvent,
      sequence: example.sequence,
      at: AT,
      data: { ...CLAIM, ...example.data },
    }),
  )
}
