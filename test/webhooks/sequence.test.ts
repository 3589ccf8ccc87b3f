import { Webhook } from 'standardwebhooks'
import { describe, expect, onTestFinished } from 'vitest'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { credit, generate, registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { bankAccount, PAYID, payoutHarness, submit } from '../support/payouts.ts'
import { startReceiver } from '../support/receiver.ts'

describe('webhooks over a whole cashout', () => {
  test('each event of a claim arrives signed, with real noebs fields and an increasing sequence', async ({
    db,
  }) => {
    const receiver = await startReceiver()
    onTestFinished(() => receiver.close())
    const h = await payoutHarness(db, { env: { ALLOW_LOOPBACK_ENDPOINTS: 'true' } })
    const provider = await registerProvider(h.app, { endpoint: `${receiver.url}/hook` })
    await credit(h.app, provider.name, 100_000)
    const claim = (await generate(h.app, provider, { amount: 1234, id: 'seq-1' })).body
    await submit(h.app, provider, claim.uuid, bankAccount('00000014'))
    await h.drain()
    await h.waitForClaim(provider, claim.uuid, 'open')
    await submit(h.app, provider, claim.uuid, PAYID)
    await h.drain()
    await h.waitForClaim(provider, claim.uuid, 'settled')
    while ((await runWebhookBatch({ deps: h.deps, workerId: 'w' })) > 0) {}

    const verifier = new Webhook(provider.webhookSecret)
    const bodies = receiver.received.map(
      (r) =>
        verifier.verify(
          r.body,
          Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])),
        ) as {
          event: string
          sequence: number
          name: string
          details: { code: number; response: string; time: string; amount: number }
          failure: { code: string } | null
          destination: Record<string, string>
        },
    )
    bodies.sort((a, b) => a.sequence - b.sequence)
    expect(bodies.map((b) => [b.event, b.details.code])).toEqual([
      ['claim.submitted', 9],
      ['claim.reopened', 14],
      ['claim.submitted', 9],
      ['claim.settled', 0],
    ])
    const sequences = bodies.map((b) => b.sequence)
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b))
    expect(new Set(sequences).size).toBe(4)
    for (const body of bodies) {
      expect(body.name).toBe(provider.name)
      expect(body.details.amount).toBe(1234)
      expect(new Date(body.details.time).getFullYear()).toBeGreaterThan(2000)
    }
    expect(bodies[1]?.failure?.code).toBe('ACCOUNT_INVALID')
    expect(bodies[3]?.destination).toEqual({
      type: 'payid',
      payid_type: 'email',
      payid: 'j•••@example.com',
    })
  })
})
