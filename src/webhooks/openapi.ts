import { type OpenAPIHono, z } from '@hono/zod-openapi'
import { CLAIM_STATUSES } from '../claims/schemas.ts'
import { MaskedDestination } from '../payouts/masked.ts'
import { exampleEvent } from './examples.ts'

/**
 * The webhooks Cashout sends, as the OpenAPI document's `webhooks` section describes them, so a
 * receiver can be generated and each body validated. The payload builders (`payload.ts`,
 * `float-low.ts`) are typed by these schemas, so the two cannot drift apart.
 */

const CLAIM_EVENTS = [
  'claim.submitted',
  'claim.settled',
  'claim.failed',
  'claim.reopened',
  'claim.expiring',
  'claim.expired',
  'claim.cancelled',
] as const

export type ClaimWebhookEvent = (typeof CLAIM_EVENTS)[number]

const details = (codes: string) =>
  z
    .object({
      response: z.string().openapi({ description: 'The response code in words.' }),
      code: z
        .number()
        .int()
        .openapi({ description: `ISO 8583 response code: ${codes}` }),
      time: z.iso.datetime().openapi({ description: 'When the event happened (UTC).' }),
      amount: z.number().int().openapi({ description: 'The claim’s points; 0 when none.' }),
    })
    .openapi({ description: 'The noebs result, as EBS and noebs send it.' })

const envelope = {
  name: z.string().openapi({ description: 'Your provider name.', example: 'acme-rewards' }),
  livemode: z.boolean().openapi({ description: 'True for live money, false for test mode.' }),
}

export const ClaimEvent = z
  .object({
    ...envelope,
    details: details(
      '0 settled, 9 submitted or expiring (in progress), 54 expired, 69 cancelled or a generic failure; on `claim.failed` and `claim.reopened`, 14 invalid account, 51 insufficient funds, 91 rail unavailable, 96 system error.',
    ),
    event: z.enum(CLAIM_EVENTS),
    id: z.string().openapi({ description: 'Your reference, as sent to generate.' }),
    uuid: z.uuid().openapi({ description: 'The claim.' }),
    status: z.enum(CLAIM_STATUSES).openapi({ description: 'The claim’s status after the event.' }),
    sequence: z.number().int().min(2).openapi({
      description:
        'Counts the claim’s events; a receiver keeps the highest it has seen and drops an older one that arrives late. Number 1 is the claim’s creation, which you learn from the generate response itself, so no webhook carries it: the first webhook of a claim is 2.',
    }),
    points: z.number().int(),
    cash: z.object({
      amount_minor: z.number().int().openapi({ description: 'What reaches the customer.' }),
      currency: z.string().openapi({ example: 'AUD' }),
      fee_minor: z.number().int(),
      fee_payer: z.enum(['provider', 'customer']),
      gross_minor: z.number().int().openapi({ description: 'The points at the rule’s rate.' }),
    }),
    rule_version: z.number().int(),
    customer_id: z.string().nullable(),
    expires_at: z.iso.datetime().optional().openapi({
      description:
        'When the claim’s link lapses if the customer does not use it; a reopened claim may be given more time. Absent only from a replay of an event recorded before this field existed.',
    }),
    // Where the customer asked to be paid, masked; null before they chose. (A description
    // here would be merged into the shared MaskedDestination component, null and all.)
    destination: z.union([MaskedDestination, z.null()]),
    failure: z
      .object({
        code: z.string().openapi({
          description:
            'Why the payout failed: `ACCOUNT_INVALID`, `DESTINATION_REFUSED`, `PAYEE_BLOCKED`, `RAIL_REJECTED`, `INSUFFICIENT_FUNDS`, `RAIL_UNAVAILABLE`, `SYSTEM_ERROR`, or another code a later version adds.',
          example: 'ACCOUNT_INVALID',
        }),
        reason: z.string().openapi({ description: 'The reason in words, fit for the customer.' }),
        attempt: z.number().int().min(1),
        final: z
          .boolean()
          .openapi({ description: 'True when the claim failed for good (`claim.failed`).' }),
      })
      .nullable()
      .openapi({ description: 'Set on `claim.failed` and `claim.reopened`.' }),
  })
  .openapi('ClaimEvent', { description: 'A change to one claim.' })

export const FloatLowEvent = z
  .object({
    ...envelope,
    details: details('always 51 (the nearest code to a float that may soon not cover claims).'),
    event: z.literal('float.low'),
    available_minor: z.number().int().openapi({ description: 'What the float holds now.' }),
    threshold_minor: z.number().int().openapi({ description: 'The alert threshold you set.' }),
    currency: z.string().openapi({ example: 'AUD' }),
  })
  .openapi('FloatLowEvent', { description: 'The float fell under your alert threshold.' })

export const WebhookTestEvent = z
  .object({
    ...envelope,
    details: details('always 0.'),
    event: z.literal('webhook.test'),
    test: z.literal(true),
  })
  .openapi('WebhookTestEvent', { description: 'Sent on request, to check an endpoint.' })

export type ClaimEventBody = z.input<typeof ClaimEvent>
export type FloatLowEventBody = z.input<typeof FloatLowEvent>
export type WebhookTestEventBody = z.input<typeof WebhookTestEvent>

const SIGNED_HEADERS = z.object({
  'webhook-id': z.string().openapi({
    description: 'The message id, the same on every retry: use it to drop duplicates.',
    example: 'msg_2b7d4e5f6a7b8c3f0c9d0b8f6a4c1e9a',
  }),
  'webhook-timestamp': z.string().regex(/^\d+$/).openapi({
    description: 'When this attempt was signed, in Unix seconds. Refuse one far from now.',
    example: '1767225600',
  }),
  'webhook-signature': z.string().openapi({
    description:
      '`v1,` and the base64 HMAC-SHA256 of `webhook-id.webhook-timestamp.body`, keyed with your `whsec_` secret (base64 after the prefix); during a secret rotation one per secret, space-separated.',
    example: 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=',
  }),
})

const RESPONSES = {
  200: { description: 'Any 2xx: delivered. Nothing is read from the body.' },
  410: {
    description:
      'Gone: Cashout stops sending to this endpoint until you set it again. Any other answer, a redirect or no answer in 15 s is retried on the schedule (honouring `Retry-After`).',
  },
}

const EVENTS: { name: string; schema: z.ZodType; summary: string; description: string }[] = [
  {
    name: 'claim.submitted',
    schema: ClaimEvent,
    summary: 'A customer chose where to be paid',
    description: 'The payout is on its way to the rail; `destination` says where, masked.',
  },
  {
    name: 'claim.settled',
    schema: ClaimEvent,
    summary: 'The money reached the customer',
    description: 'Final. `details.code` is 0.',
  },
  {
    name: 'claim.failed',
    schema: ClaimEvent,
    summary: 'The payout failed for good',
    description:
      'Final: the reserved cash is back in your float. `failure` says why (`final: true`).',
  },
  {
    name: 'claim.reopened',
    schema: ClaimEvent,
    summary: 'The payout failed, and the customer may try another account',
    description:
      'The claim is `open` again until it expires; `failure` says what to fix (`final: false`).',
  },
  {
    name: 'claim.expiring',
    schema: ClaimEvent,
    summary: 'The link lapses soon',
    description:
      'Sent once per claim, `expiry_reminder_seconds` (your rule’s) before `expires_at`, while the claim is still `open`, so you can remind the customer. Not sent if the claim was submitted, cancelled or expired first, nor twice, even if the claim is reopened later. `details.code` is 9.',
  },
  {
    name: 'claim.expired',
    schema: ClaimEvent,
    summary: 'The link lapsed unused',
    description: 'Final: the reserved cash is back in your float. `details.code` is 54.',
  },
  {
    name: 'claim.cancelled',
    schema: ClaimEvent,
    summary: 'You cancelled the claim',
    description: 'Final: the reserved cash is back in your float.',
  },
  {
    name: 'float.low',
    schema: FloatLowEvent,
    summary: 'The float fell under your alert threshold',
    description:
      'Sent once each time the float crosses under the threshold set on `/cashout/float/alert`.',
  },
  {
    name: 'webhook.test',
    schema: WebhookTestEvent,
    summary: 'A test you asked for',
    description: 'Sent by `POST /cashout/webhooks/test` and from the console.',
  },
]

/** Adds every event to the document's `webhooks` section, keyed by the event's name. */
export function registerWebhooks(registry: OpenAPIHono['openAPIRegistry']) {
  for (const event of EVENTS) {
    registry.registerWebhook({
      method: 'post',
      path: event.name,
      operationId: `on${event.name
        .split(/[._]/)
        .map((part) => part[0]?.toUpperCase() + part.slice(1))
        .join('')}`,
      tags: ['Webhooks'],
      security: [{ webhookSignature: [] }],
      summary: event.summary,
      description: `${event.description} Signed as Standard Webhooks: check \`webhook-signature\` over the raw body before parsing it.`,
      request: {
        headers: SIGNED_HEADERS,
        body: {
          required: true,
          content: {
            'application/json': { schema: event.schema, example: exampleEvent(event.name) },
          },
        },
      },
      responses: RESPONSES,
    })
  }
}
