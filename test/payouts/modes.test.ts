import { describe, expect } from 'vitest'
import type { Db } from '../../src/db/schema.ts'
import type { WebhookTransport } from '../../src/webhooks/transport.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import {
  balance,
  call,
  credit,
  expectError,
  fundedProvider,
  generate,
  type Loose,
  liveOf,
  registerProvider,
  type TestProvider,
} from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { BANK, bankAccount, payoutHarness, submit } from '../support/payouts.ts'

/** Everything the database holds for one provider, to show a refused call changed nothing. */
async function snapshot(db: Db, name: string) {
  const provider = await db
    .selectFrom('providers')
    .selectAll()
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
  const id = provider.id
  return {
    provider,
    claims: await db
      .selectFrom('claims')
      .selectAll()
      .where('provider_id', '=', id)
      .orderBy('id')
      .execute(),
    payouts: await db
      .selectFrom('payouts')
      .selectAll()
      .where('provider_id', '=', id)
      .orderBy('id')
      .execute(),
    events: await db
      .selectFrom('events')
      .selectAll()
      .where('provider_id', '=', id)
      .orderBy('id')
      .execute(),
    accounts: await db
      .selectFrom('ledger_accounts')
      .selectAll()
      .where('provider_id', '=', id)
      .orderBy('id')
      .execute(),
    transfers: await db
      .selectFrom('ledger_transfers')
      .selectAll()
      .where('provider_id', '=', id)
      .orderBy('id')
      .execute(),
    deliveries: await db
      .selectFrom('webhook_deliveries')
      .selectAll()
      .where('provider_id', '=', id)
      .orderBy('id')
      .execute(),
    rules: await db
      .selectFrom('rules')
      .selectAll()
      .where('provider_id', '=', id)
      .orderBy('livemode')
      .orderBy('version')
      .execute(),
    // last_used_at is written in the background on use; the rest of a key must not move.
    keys: await db
      .selectFrom('api_keys')
      .select(['id', 'livemode', 'prefix', 'label', 'revoked_at'])
      .where('provider_id', '=', id)
      .orderBy('id')
      .execute(),
  }
}

/** A webhook receiver that takes every message (no DNS, no sockets), keeping the bodies. */
function acceptingTransport() {
  const bodies: Loose[] = []
  const transport: WebhookTransport = {
    vet: async () => true,
    post: async (_url, _headers, body) => {
      bodies.push(JSON.parse(body))
      return { status: 200, retryAfter: null }
    },
  }
  return { transport, bodies }
}

async function payoutOf(db: Db, claimId: string) {
  return db
    .selectFrom('payouts')
    .selectAll()
    .where('claim_id', '=', claimId)
    .executeTakeFirstOrThrow()
}

const claimIds = (reply: { body: Loose }) => reply.body.claims.map((c: Loose) => c.uuid)
const deliveryIds = (reply: { body: Loose }) => reply.body.deliveries.map((d: Loose) => d.id)

describe('test and live payouts', () => {
  test('a live claim pays through the live rail only, a test claim through the sandbox only', async ({
    db,
  }) => {
    const h = await payoutHarness(db, { live: true })
    const liveOrigin = h.live?.origin as string
    const p = await fundedProvider(h.app, 10_000, true)
    const live = liveOf(p)
    const testClaim = (await generate(h.app, p, { amount: 1200, id: 'mode-test' })).body
    const liveClaim = (await generate(h.app, live, { amount: 3400, id: 'mode-live' })).body
    expect(testClaim.livemode).toBe(false)
    expect(liveClaim.livemode).toBe(true)
    expect((await submit(h.app, p, testClaim.uuid, BANK)).status).toBe(200)
    expect((await submit(h.app, live, liveClaim.uuid, bankAccount('87654321'))).status).toBe(200)
    expect(await h.drain()).toBe(2)

    const settledTest = await h.waitForClaim(p, testClaim.uuid, 'settled')
    const settledLive = await h.waitForClaim(live, liveClaim.uuid, 'settled')
    expect(settledTest).toMatchObject({ livemode: false, payout: { status: 'settled' } })
    expect(settledLive).toMatchObject({ livemode: true, payout: { status: 'settled' } })

    const testPayout = await payoutOf(db, testClaim.uuid)
    const livePayout = await payoutOf(db, liveClaim.uuid)
    expect(testPayout.livemode).toBe(false)
    expect(livePayout.livemode).toBe(true)
    const sandboxSide = (await h.control('GET', '/sandbox/withdrawals')).withdrawals
    const liveSide = (await h.control('GET', '/sandbox/withdrawals', undefined, liveOrigin))
      .withdrawals
    expect(sandboxSide).toEqual([
      expect.objectContaining({
        client_transaction_id: testPayout.id,
        status: 'settled',
        amount_minor: 1200,
      }),
    ])
    expect(liveSide).toEqual([
      expect.objectContaining({
        client_transaction_id: livePayout.id,
        status: 'settled',
        amount_minor: 3400,
      }),
    ])

    expect(await balance(h.app, p)).toMatchObject({
      livemode: false,
      available_minor: 8800,
      reserved_minor: 0,
      paid_out_minor: 1200,
    })
    expect(await balance(h.app, live)).toMatchObject({
      livemode: true,
      available_minor: 6600,
      reserved_minor: 0,
      paid_out_minor: 3400,
    })

    for (const [provider, claim, livemode] of [
      [p, testClaim, false],
      [live, liveClaim, true],
    ] as [TestProvider, Loose, boolean][]) {
      const stored = await db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('claim_id', '=', claim.uuid)
        .where('event_type', '=', 'claim.settled')
        .executeTakeFirstOrThrow()
      expect(stored.livemode).toBe(livemode)
      expect(JSON.parse(stored.payload)).toMatchObject({
        event: 'claim.settled',
        uuid: claim.uuid,
        livemode,
      })
      const listed = await call(h.app, 'GET', `/cashout/webhooks/deliveries?claim=${claim.uuid}`, {
        key: provider.key,
      })
      expect(listed.status).toBe(200)
      const settled = listed.body.deliveries.find((d: Loose) => d.event === 'claim.settled')
      expect(settled).toMatchObject({ id: stored.id, livemode, payload: { livemode } })
      expect(listed.body.deliveries.every((d: Loose) => d.livemode === livemode)).toBe(true)
    }
  })
})

describe('a key sees only its own mode', () => {
  test('a test key cannot see or touch a live claim, nor a live key a test claim', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const p = await fundedProvider(app, 10_000, true)
    const live = liveOf(p)
    const testClaim = (await generate(app, p, { amount: 100, id: 't-1' })).body
    const liveClaim = (await generate(app, live, { amount: 200, id: 'l-1' })).body

    const before = await snapshot(db, p.name)
    for (const [key, uuid] of [
      [p.key, liveClaim.uuid],
      [live.key, testClaim.uuid],
    ] as [string, string][]) {
      expectError(await call(app, 'GET', `/cashout/claims/${uuid}`, { key }), 404, 'not_found')
      expectError(
        await call(app, 'POST', `/cashout/claims/${uuid}/cancel`, { key }),
        404,
        'not_found',
      )
      expectError(
        await call(app, 'POST', `/cashout/claims/${uuid}/submit`, { key, body: BANK }),
        404,
        'not_found',
      )
    }
    expect(await snapshot(db, p.name)).toEqual(before)

    const testList = await call(app, 'GET', '/cashout/claims', { key: p.key })
    expect(claimIds(testList)).toEqual([testClaim.uuid])
    expect(testList.body.claims[0].livemode).toBe(false)
    const liveList = await call(app, 'GET', '/cashout/claims', { key: live.key })
    expect(claimIds(liveList)).toEqual([liveClaim.uuid])
    expect(liveList.body.claims[0].livemode).toBe(true)

    // The owner's key still reaches each claim: the 404s were about the mode, not the claim.
    expect(
      (await call(app, 'GET', `/cashout/claims/${liveClaim.uuid}`, { key: live.key })).body,
    ).toMatchObject({ livemode: true, status: 'open' })
    expect(
      (await call(app, 'POST', `/cashout/claims/${testClaim.uuid}/cancel`, { key: p.key })).body,
    ).toMatchObject({ livemode: false, status: 'cancelled' })
    expect(await balance(app, p)).toMatchObject({ available_minor: 10_000, reserved_minor: 0 })
    expect(await balance(app, live)).toMatchObject({ available_minor: 9_800, reserved_minor: 200 })
  })

  test('the same reference under the test and the live key makes two claims, each from its own float', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const p = await registerProvider(app)
    const live = liveOf(p)
    await credit(app, p.name, 10_000)
    await credit(app, p.name, 7_000, undefined, true)
    const body = { amount: 2500, id: 'same-ref' }
    const testClaim = await generate(app, p, body)
    const liveClaim = await generate(app, live, body)
    expect(testClaim.status).toBe(200)
    expect(liveClaim.status).toBe(200)
    expect(testClaim.body).toMatchObject({ id: 'same-ref', livemode: false })
    expect(liveClaim.body).toMatchObject({ id: 'same-ref', livemode: true })
    expect(liveClaim.body.uuid).not.toBe(testClaim.body.uuid)

    // Each key's replay finds its own claim.
    const testAgain = await generate(app, p, body)
    expect(testAgain.body.uuid).toBe(testClaim.body.uuid)
    expect(testAgain.headers.get('idempotent-replayed')).toBe('true')
    expect((await generate(app, live, body)).body.uuid).toBe(liveClaim.body.uuid)

    expect(await balance(app, p)).toMatchObject({
      livemode: false,
      available_minor: 7_500,
      reserved_minor: 2_500,
    })
    expect(await balance(app, live)).toMatchObject({
      livemode: true,
      available_minor: 4_500,
      reserved_minor: 2_500,
    })
    const rows = await db
      .selectFrom('claims')
      .select(['id', 'livemode'])
      .where('provider_ref', '=', 'same-ref')
      .orderBy('livemode')
      .execute()
    expect(rows).toEqual([
      { id: testClaim.body.uuid, livemode: false },
      { id: liveClaim.body.uuid, livemode: true },
    ])
  })

  test('a live claim cannot draw on the test float', async ({ db }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const p = await fundedProvider(app, 10_000)
    const live = liveOf(p)
    const before = await snapshot(db, p.name)
    expectError(
      await generate(app, live, { amount: 100, id: 'no-live-money' }),
      409,
      'insufficient_float',
    )
    expect(await balance(app, p)).toMatchObject({
      livemode: false,
      available_minor: 10_000,
      reserved_minor: 0,
    })
    expect(await balance(app, live)).toMatchObject({
      livemode: true,
      available_minor: 0,
      reserved_minor: 0,
    })
    expect(await snapshot(db, p.name)).toEqual(before)
  })
})

describe('webhook deliveries by mode', () => {
  test('a key cannot list, read or replay the other mode’s deliveries', async ({ db }) => {
    const { transport, bodies } = acceptingTransport()
    const built = buildTestApp(db, { env: LIVE_ENV, webhooks: transport })
    const { app } = built
    const p = await fundedProvider(app, 10_000, true)
    const live = liveOf(p)
    const cancelled = async (provider: TestProvider, id: string) => {
      const claim = (await generate(app, provider, { amount: 100, id })).body
      await call(app, 'POST', `/cashout/claims/${claim.uuid}/cancel`, { key: provider.key })
      return db
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('claim_id', '=', claim.uuid)
        .executeTakeFirstOrThrow()
    }
    const testDelivery = await cancelled(p, 'w-test')
    const liveDelivery = await cancelled(live, 'w-live')
    expect(testDelivery.livemode).toBe(false)
    expect(liveDelivery.livemode).toBe(true)
    expect(await runWebhookBatch({ deps: built.deps, workerId: 'modes' })).toBe(2)
    expect(bodies.map((b) => [b.uuid, b.livemode])).toEqual(
      expect.arrayContaining([
        [testDelivery.claim_id, false],
        [liveDelivery.claim_id, true],
      ]),
    )

    const before = await snapshot(db, p.name)
    expect(before.deliveries.map((d) => d.status)).toEqual(['delivered', 'delivered'])
    for (const [key, own, other] of [
      [p.key, testDelivery, liveDelivery],
      [live.key, liveDelivery, testDelivery],
    ] as [string, typeof testDelivery, typeof testDelivery][]) {
      expect(deliveryIds(await call(app, 'GET', '/cashout/webhooks/deliveries', { key }))).toEqual([
        own.id,
      ])
      const filtered = await call(
        app,
        'GET',
        `/cashout/webhooks/deliveries?claim=${other.claim_id}`,
        { key },
      )
      expect(filtered.status).toBe(200)
      expect(filtered.body.deliveries).toEqual([])
      expectError(
        await call(app, 'GET', `/cashout/webhooks/deliveries/${other.id}`, { key }),
        404,
        'not_found',
      )
      expectError(
        await call(app, 'POST', `/cashout/webhooks/deliveries/${other.id}/replay`, { key }),
        404,
        'not_found',
      )
    }
    expect(await snapshot(db, p.name)).toEqual(before)

    // Each key replays its own.
    const replayed = await call(
      app,
      'POST',
      `/cashout/webhooks/deliveries/${liveDelivery.id}/replay`,
      {
        key: live.key,
      },
    )
    expect(replayed.body).toMatchObject({ id: liveDelivery.id, livemode: true, status: 'pending' })
  })
})

describe('account settings with a live key', () => {
  test('once a live key exists, only a live key changes the endpoint or the signing secret', async ({
    db,
  }) => {
    const { transport } = acceptingTransport()
    const { app } = buildTestApp(db, { env: LIVE_ENV, webhooks: transport })
    const p = await registerProvider(app)
    const live = liveOf(p)
    const before = await snapshot(db, p.name)
    expectError(
      await call(app, 'POST', '/cashout/profile', {
        key: p.key,
        body: { endpoint: 'https://elsewhere.example.com/hook' },
      }),
      403,
      'live_key_required',
    )
    expectError(
      await call(app, 'POST', '/cashout/webhooks/secret/rotate', { key: p.key, body: {} }),
      403,
      'live_key_required',
    )
    expect(await snapshot(db, p.name)).toEqual(before)
    expect((await call(app, 'GET', '/cashout/profile', { key: p.key })).body.endpoint).toBe(
      'https://hooks.example.com/cashout',
    )

    const changed = await call(app, 'POST', '/cashout/profile', {
      key: live.key,
      body: { endpoint: 'https://elsewhere.example.com/hook' },
    })
    expect(changed.status).toBe(200)
    expect(changed.body.endpoint).toBe('https://elsewhere.example.com/hook')
    const rotated = await call(app, 'POST', '/cashout/webhooks/secret/rotate', {
      key: live.key,
      body: {},
    })
    expect(rotated.status).toBe(200)
    expect(rotated.body.webhook_secret).toMatch(/^whsec_/)
    expect(rotated.body.webhook_secret).not.toBe(p.webhookSecret)
    const after = await snapshot(db, p.name)
    expect(after.provider.endpoint).toBe('https://elsewhere.example.com/hook')
    expect(after.provider.webhook_secret_jwe).not.toBe(before.provider.webhook_secret_jwe)
    expect(after.provider.previous_webhook_secrets).toEqual([
      expect.objectContaining({ jwe: before.provider.webhook_secret_jwe }),
    ])
  })

  test('where there is no live rail, the test key changes them', async ({ db }) => {
    const { transport } = acceptingTransport()
    const { app } = buildTestApp(db, { webhooks: transport })
    const p = await registerProvider(app)
    expect(p.liveKey).toBeNull()
    const changed = await call(app, 'POST', '/cashout/profile', {
      key: p.key,
      body: { endpoint: 'https://elsewhere.example.com/hook' },
    })
    expect(changed.status).toBe(200)
    expect(changed.body.endpoint).toBe('https://elsewhere.example.com/hook')
    const rotated = await call(app, 'POST', '/cashout/webhooks/secret/rotate', {
      key: p.key,
      body: {},
    })
    expect(rotated.status).toBe(200)
    expect(rotated.body.webhook_secret).toMatch(/^whsec_/)
    expect(rotated.body.webhook_secret).not.toBe(p.webhookSecret)
  })
})

describe('rules by mode', () => {
  test('a rule set with the test key prices only test claims', async ({ db }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const p = await fundedProvider(app, 100_000, true)
    const live = liveOf(p)
    const put = await call(app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: {
        rate: { points: 100, cash_minor: 50 },
        fee: { fixed_minor: 10, bps: 0, payer: 'provider' },
      },
    })
    expect(put.status).toBe(200)
    expect(put.body.version).toBe(2)

    const testClaim = (await generate(app, p, { amount: 1000, id: 'priced' })).body
    const liveClaim = (await generate(app, live, { amount: 1000, id: 'priced' })).body
    expect(testClaim.quote).toMatchObject({
      rule_version: 2,
      gross_minor: 500,
      fee_minor: 10,
      float_debit_minor: 510,
    })
    expect(liveClaim.quote).toMatchObject({
      rule_version: 1,
      gross_minor: 1000,
      fee_minor: 0,
      float_debit_minor: 1000,
    })
    const quote = (key: string) =>
      call(app, 'POST', '/cashout/quote', { key, body: { points: 1000 } })
    expect((await quote(p.key)).body).toMatchObject({ rule_version: 2, gross_minor: 500 })
    expect((await quote(live.key)).body).toMatchObject({ rule_version: 1, gross_minor: 1000 })
    expect((await call(app, 'GET', '/cashout/rules', { key: live.key })).body).toMatchObject({
      version: 1,
      rate: { points: 1, cash_minor: 1 },
    })
    const versions = await call(app, 'GET', '/cashout/rules/versions', { key: live.key })
    expect(versions.body.rules.map((r: Loose) => r.version)).toEqual([1])
    expectError(
      await call(app, 'GET', '/cashout/rules/versions/2', { key: live.key }),
      404,
      'not_found',
    )
  })
})

describe('a deployment without a live rail', () => {
  test('refuses a live key minted earlier on every provider route, and makes no live claim', async ({
    db,
  }) => {
    const withLive = buildTestApp(db, { env: LIVE_ENV })
    const p = await fundedProvider(withLive.app, 10_000, true)
    const liveKey = p.liveKey as string
    const earlier = (await generate(withLive.app, liveOf(p), { amount: 100, id: 'before' })).body
    expect(earlier.livemode).toBe(true)

    const { app } = buildTestApp(db)
    const before = await snapshot(db, p.name)
    const routes: [string, string, unknown?][] = [
      ['GET', '/cashout/balance'],
      ['POST', `/cashout/generate/${p.name}`, { amount: 100, id: 'after' }],
      ['GET', '/cashout/claims'],
      ['GET', `/cashout/claims/${earlier.uuid}`],
      ['POST', `/cashout/claims/${earlier.uuid}/cancel`],
      ['POST', `/cashout/claims/${earlier.uuid}/submit`, BANK],
      ['GET', '/cashout/rules'],
      ['PUT', '/cashout/rules', { rate: { points: 1, cash_minor: 2 } }],
      ['POST', '/cashout/quote', { points: 100 }],
      ['GET', '/cashout/keys'],
      ['POST', '/cashout/keys', {}],
      ['GET', '/cashout/webhooks/deliveries'],
      ['POST', '/cashout/webhooks/test'],
      ['GET', '/cashout/profile'],
      ['POST', '/cashout/profile', { endpoint: 'https://elsewhere.example.com/hook' }],
      ['POST', '/cashout/webhooks/secret/rotate', {}],
    ]
    for (const [method, path, body] of routes) {
      const reply = await call(app, method, path, { key: liveKey, body })
      try {
        expectError(reply, 403, 'live_mode_unavailable')
      } catch (error) {
        throw new Error(`${method} ${path}: ${(error as Error).message}`)
      }
    }
    expect(await snapshot(db, p.name)).toEqual(before)
    const liveClaims = await db
      .selectFrom('claims')
      .select('id')
      .where('livemode', '=', true)
      .execute()
    expect(liveClaims).toEqual([{ id: earlier.uuid }])
    // The test key keeps working on the same deployment.
    expect((await generate(app, p, { amount: 100, id: 'after' })).body.livemode).toBe(false)
  })
})
