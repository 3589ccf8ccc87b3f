import { randomBytes } from 'node:crypto'
import { describe, expect, expectTypeOf, test } from 'vitest'
import {
  type ClaimEvent,
  type FloatLowEvent,
  verifyWebhook,
  type WebhookEvent,
  type WebhookTestEvent,
  WebhookVerificationError,
  type webhooks,
} from '../../src/client/index.ts'
import { floatLowPayload } from '../../src/webhooks/float-low.ts'
import { eventPayload, testPayload } from '../../src/webhooks/payload.ts'
import { signatureHeader } from '../../src/webhooks/signing.ts'

const secret = () => `whsec_${randomBytes(32).toString('base64')}`
const AT = new Date('2026-11-21T21:25:16.162Z')
/** A `claim.settled` body as Cashout builds it. */
const BODY = eventPayload({
  provider: 'acme',
  event: 'claim.settled',
  sequence: 3,
  at: AT,
  data: {
    id: 'order-1',
    uuid: 'ddfd9547-5a4e-4c1b-9a7e-0d3f6f1c2b11',
    livemode: false,
    status: 'settled',
    status_reason: null,
    customer_id: null,
    points: 2500,
    rule_version: 1,
    currency: 'AUD',
    gross_minor: 2500,
    fee_minor: 0,
    fee_payer: 'provider',
    net_minor: 2500,
    expires_at: '2026-11-28T21:25:16.162Z',
    destination: { type: 'payid', payid_type: 'email', payid: 'j•••@example.com' },
  },
})

/** Headers as Cashout's own signer makes them, `secondsAgo` before now. */
async function signed(secrets: string[], body = BODY, secondsAgo = 0) {
  const timestamp = Math.floor(Date.now() / 1000) - secondsAgo
  return {
    'webhook-id': 'msg_2b7a1c',
    'webhook-timestamp': String(timestamp),
    'webhook-signature': await signatureHeader(secrets, 'msg_2b7a1c', timestamp, body),
  }
}

function refusal(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError)
    return (error as Error).message
  }
  throw new Error('the message was accepted')
}

describe('verifyWebhook', () => {
  test('accepts what Cashout signs and returns the parsed body', async () => {
    const key = secret()
    const headers = await signed([key])
    expect(verifyWebhook(key, headers, BODY)).toEqual(JSON.parse(BODY))
    // A fetch Request's headers, Node's (any case), and the raw bytes serve alike.
    expect(verifyWebhook(key, new Headers(headers), BODY)).toEqual(JSON.parse(BODY))
    const shouting = Object.fromEntries(
      Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]),
    )
    expect(verifyWebhook(key, shouting, new TextEncoder().encode(BODY))).toEqual(JSON.parse(BODY))
    expect(verifyWebhook(key, headers, Buffer.from(BODY))).toEqual(JSON.parse(BODY))
  })

  test('types every event the document names, and narrows on `event`', async () => {
    expectTypeOf<WebhookEvent>().toEqualTypeOf<ClaimEvent | FloatLowEvent | WebhookTestEvent>()
    expectTypeOf<WebhookEvent['event']>().toEqualTypeOf<keyof webhooks>()
    const key = secret()
    const bodies = [
      BODY,
      floatLowPayload('acme', {
        providerId: 'p',
        livemode: true,
        availableMinor: 9_000n,
        thresholdMinor: 10_000n,
        currency: 'AUD',
        at: AT,
      }),
      testPayload('acme', false, AT),
    ]
    const seen: string[] = []
    for (const body of bodies) {
      const event = verifyWebhook(key, await signed([key], body), body)
      switch (event.event) {
        case 'claim.settled':
          expect([event.cash.amount_minor, event.destination?.type]).toEqual([2500, 'payid'])
          break
        case 'float.low':
          expect(event.threshold_minor - event.available_minor).toBe(1000)
          break
        case 'webhook.test':
          expect(event.livemode).toBe(false)
          break
        default:
          throw new Error(`unexpected ${event.event}`)
      }
      seen.push(event.event)
    }
    expect(seen).toEqual(['claim.settled', 'float.low', 'webhook.test'])
  })

  test('during a rotation either secret verifies the two signatures Cashout sends', async () => {
    const [old, fresh] = [secret(), secret()]
    const headers = await signed([fresh, old])
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2)
    expect(verifyWebhook(old, headers, BODY)).toMatchObject({ event: 'claim.settled' })
    expect(verifyWebhook(fresh, headers, BODY)).toMatchObject({ event: 'claim.settled' })
  })

  test('refuses another secret, a tampered body, a stale or future timestamp', async () => {
    const key = secret()
    const headers = await signed([key])
    expect(refusal(() => verifyWebhook(secret(), headers, BODY))).toBe(
      'No matching signature found',
    )
    const tampered = BODY.replace('"amount":2500', '"amount":250000')
    expect(tampered).not.toBe(BODY)
    expect(refusal(() => verifyWebhook(key, headers, tampered))).toBe('No matching signature found')
    // Re-serialised JSON is not the bytes that were signed.
    const reformatted = JSON.stringify(JSON.parse(BODY), null, 2)
    expect(refusal(() => verifyWebhook(key, headers, reformatted))).toBe(
      'No matching signature found',
    )
    const stale = await signed([key], BODY, 6 * 60)
    expect(refusal(() => verifyWebhook(key, stale, BODY))).toBe('Message timestamp too old')
    const future = await signed([key], BODY, -6 * 60)
    expect(refusal(() => verifyWebhook(key, future, BODY))).toBe('Message timestamp too new')
  })

  test('refuses missing or doubled headers and a body that is not UTF-8', async () => {
    const key = secret()
    const headers = await signed([key])
    const { 'webhook-id': _id, ...withoutId } = headers
    expect(refusal(() => verifyWebhook(key, withoutId, BODY))).toBe('Missing required headers')
    const doubled = { ...headers, 'webhook-id': [headers['webhook-id'], 'msg_other'] }
    expect(refusal(() => verifyWebhook(key, doubled, BODY))).toBe('Missing required headers')
    const bytes = Uint8Array.from([...new TextEncoder().encode(BODY.slice(0, -1)), 0xff, 0x7d])
    expect(refusal(() => verifyWebhook(key, headers, bytes))).toBe('The body is not UTF-8')
  })
})
