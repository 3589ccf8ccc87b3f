import { describe, expect } from 'vitest'
import {
  type Claim,
  createCashoutClient,
  createOperatorClient,
  verifyWebhook,
} from '../../src/client/index.ts'
import { manualClock } from '../../src/clock.ts'
import type { WebhookTransport } from '../../src/webhooks/transport.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { buildTestApp, OPERATOR_TOKEN } from '../support/app.ts'
import { IPIN, VALID_PAN } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const BASE_URL = 'http://cashout.test'

describe('the typed client', () => {
  test('register, fund, generate, submit and read a claim, then verify its webhook', async ({
    db,
  }) => {
    const sent: { headers: Record<string, string>; body: string }[] = []
    const keeping: WebhookTransport = {
      vet: async () => true,
      async post(_url, headers, body) {
        sent.push({ headers, body })
        return { status: 200, retryAfter: null }
      },
    }
    // Real time: the webhook library checks the signature's timestamp against its own clock.
    const { app, deps } = buildTestApp(db, { clock: manualClock(new Date()), webhooks: keeping })
    const fetch = (request: Request) => Promise.resolve(app.fetch(request))

    const anonymous = createCashoutClient({ baseUrl: BASE_URL, fetch })
    const registered = await anonymous.POST('/cashout/register', {
      body: {
        name: 'typed-rewards',
        pan: VALID_PAN,
        expDate: '2912',
        ipin: IPIN,
        consent: true,
        endpoint: 'https://hooks.example.com/cashout',
      },
    })
    expect(registered.error).toBeUndefined()
    if (!registered.data) throw new Error('registration failed')
    const { api_key, webhook_secret } = registered.data
    expect(api_key).toMatch(/^ck_test_/)

    const operator = createOperatorClient({ baseUrl: BASE_URL, token: OPERATOR_TOKEN, fetch })
    const credited = await operator.POST('/operator/providers/{name}/credit', {
      params: { path: { name: 'typed-rewards' } },
      body: { livemode: false, amount_minor: 10_000, reference: 'top-up-1' },
    })
    expect(credited.response.status).toBe(200)

    const cashout = createCashoutClient({ baseUrl: BASE_URL, apiKey: api_key, fetch })
    const generated = await cashout.POST('/cashout/generate/{name}', {
      params: { path: { name: 'typed-rewards' } },
      body: { amount: 2500, id: 'order-1' },
    })
    if (!generated.data) throw new Error(`generate failed: ${JSON.stringify(generated.error)}`)
    const { uuid, url } = generated.data
    expect(url).toBe(`${BASE_URL}/c/${uuid}`)

    const submitted = await cashout.POST('/cashout/claims/{uuid}/submit', {
      params: { path: { uuid } },
      body: { type: 'payid', payid_type: 'email', payid: 'Jane@Example.com' },
    })
    expect(submitted.data?.status).toBe('submitted')

    const read = await cashout.GET('/cashout/claims/{uuid}', { params: { path: { uuid } } })
    const claim: Claim | undefined = read.data
    expect(claim).toMatchObject({
      uuid,
      id: 'order-1',
      status: 'submitted',
      livemode: false,
      payout: { destination: { type: 'payid', payid_type: 'email' } },
    })
    const balance = await cashout.GET('/cashout/balance')
    expect(balance.data).toMatchObject({ available_minor: 7500, reserved_minor: 2500 })

    // An error comes back typed too, in the one error shape.
    const missing = await cashout.GET('/cashout/claims/{uuid}', {
      params: { path: { uuid: '00000000-0000-4000-8000-000000000000' } },
    })
    expect(missing.error?.code).toBe('not_found')

    while ((await runWebhookBatch({ deps, workerId: 'journey' })) > 0) {}
    const message = sent.find((m) => m.body.includes('"claim.submitted"'))
    if (!message) throw new Error('no claim.submitted webhook was sent')
    const event = verifyWebhook(webhook_secret, message.headers, message.body)
    // Narrowed by `event` to the document's ClaimEvent: these reads are type-checked.
    if (event.event !== 'claim.submitted') throw new Error(`got ${event.event}`)
    expect([event.uuid, event.id, event.status, event.sequence]).toEqual([
      uuid,
      'order-1',
      'submitted',
      2,
    ])
    expect(event.cash.amount_minor).toBe(claim?.quote.net_minor)
    expect(event.destination).toMatchObject({ type: 'payid', payid_type: 'email' })
  })
})
