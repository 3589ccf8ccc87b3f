/** What a claim event's webhook says, as the noebs body plus Cashout's fields. */

import type { ClaimStatus, FeePayer } from '../db/schema.ts'
import type { ClaimEventBody, ClaimWebhookEvent, WebhookTestEventBody } from './openapi.ts'

export interface EventData {
  id: string
  uuid: string
  livemode: boolean
  status: ClaimStatus
  status_reason: string | null
  customer_id: string | null
  points: number
  rule_version: number
  currency: string
  gross_minor: number
  fee_minor: number
  fee_payer: FeePayer
  net_minor: number
  /** When the claim's link lapses (ISO 8601), as it stood after the event. */
  expires_at: string
  destination?: Record<string, string>
  failure?: { code: string; reason: string; attempt: number; final: boolean }
}

/** ISO 8583 response codes, as EBS and noebs use them. */
const FAILURE_CODES: Record<string, { code: number; response: string }> = {
  ACCOUNT_INVALID: { code: 14, response: 'Invalid account' },
  RAIL_REJECTED: { code: 14, response: 'Invalid account' },
  DESTINATION_REFUSED: { code: 14, response: 'Invalid account' },
  PAYEE_BLOCKED: { code: 14, response: 'Invalid account' },
  INSUFFICIENT_FUNDS: { code: 51, response: 'Insufficient funds' },
  RAIL_UNAVAILABLE: { code: 91, response: 'Payment rail unavailable' },
  SYSTEM_ERROR: { code: 96, response: 'System error' },
}
const GENERIC = { code: 69, response: 'Generic error' }

export function responseCode(
  event: string,
  failureCode?: string,
): { code: number; response: string } {
  switch (event) {
    case 'claim.settled':
      return { code: 0, response: 'Approved' }
    case 'claim.submitted':
      return { code: 9, response: 'In progress' }
    case 'claim.expiring':
      // Still open, waiting on the customer: in progress, as ISO 8583 has no "expiring soon".
      return { code: 9, response: 'Awaiting the customer' }
    case 'claim.expired':
      return { code: 54, response: 'Expired' }
    case 'claim.cancelled':
      return { code: 69, response: 'Cancelled by the provider' }
    case 'claim.failed':
    case 'claim.reopened':
      return (failureCode ? FAILURE_CODES[failureCode] : undefined) ?? GENERIC
    default:
      return GENERIC
  }
}

/**
 * The body, built once when the event happens; every attempt sends these exact bytes.
 * `details.amount` is in points, as the noebs generate request's `amount` is.
 */
export function eventPayload(input: {
  provider: string
  event: ClaimWebhookEvent
  sequence: number
  at: Date
  data: EventData
}): string {
  const { data } = input
  const { code, response } = responseCode(input.event, data.failure?.code)
  const body: ClaimEventBody = {
    name: input.provider,
    details: { response, code, time: input.at.toISOString(), amount: data.points },
    event: input.event,
    livemode: data.livemode,
    id: data.id,
    uuid: data.uuid,
    status: data.status,
    sequence: input.sequence,
    points: data.points,
    cash: {
      amount_minor: data.net_minor,
      currency: data.currency,
      fee_minor: data.fee_minor,
      fee_payer: data.fee_payer,
      gross_minor: data.gross_minor,
    },
    rule_version: data.rule_version,
    customer_id: data.customer_id,
    expires_at: data.expires_at,
    destination: (data.destination as ClaimEventBody['destination']) ?? null,
    failure: data.failure ?? null,
  }
  return JSON.stringify(body)
}

export function testPayload(provider: string, livemode: boolean, at: Date): string {
  const body: WebhookTestEventBody = {
    name: provider,
    details: { response: 'Test', code: 0, time: at.toISOString(), amount: 0 },
    event: 'webhook.test',
    livemode,
    test: true,
  }
  return JSON.stringify(body)
}

/** Standard Webhooks message ids: `msg_` and 32 hex digits, the same on every retry. */
export function newMessageId(): string {
  return `msg_${crypto.randomUUID().replaceAll('-', '')}`
}
