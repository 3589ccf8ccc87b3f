import { describe, expect } from 'vitest'
import { manualClock } from '../../src/clock.ts'
import { sha256Hex } from '../../src/crypto/bytes.ts'
import { buildTestApp, LIVE_ENV, OPERATOR_TOKEN } from '../support/app.ts'
import { call, expectError, liveOf, registerProvider, registration } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

describe('test and live keys', () => {
  test('a key says its mode; each mode manages only its own keys, down to its last one', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const provider = await registerProvider(app)
    expect(provider.key).toMatch(/^ck_test_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/)
    expect(provider.liveKey).toMatch(/^ck_live_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/)
    const live = liveOf(provider)
    const made = await call(app, 'POST', '/cashout/keys', { key: live.key, body: {} })
    expect(made.body).toMatchObject({ livemode: true, key: expect.stringMatching(/^ck_live_/) })
    const testKeys = await call(app, 'GET', '/cashout/keys', { key: provider.key })
    expect(testKeys.body.keys.map((k: { livemode: boolean }) => k.livemode)).toEqual([false])
    const liveKeys = await call(app, 'GET', '/cashout/keys', { key: live.key })
    expect(liveKeys.body.keys).toHaveLength(2)
    const liveId = liveKeys.body.keys.find((k: { id: string }) => k.id !== made.body.id).id
    expectError(
      await call(app, 'DELETE', `/cashout/keys/${liveId}`, { key: provider.key }),
      404,
      'not_found',
    )
    expectError(
      await call(app, 'DELETE', `/cashout/keys/${provider.keyId}`, { key: provider.key }),
      409,
      'last_active_key',
    )
    expect((await call(app, 'DELETE', `/cashout/keys/${liveId}`, { key: live.key })).status).toBe(
      200,
    )
  })

  test('a live key relabelled as a test key is not a key', async ({ db }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const provider = await registerProvider(app)
    const relabelled = (provider.liveKey ?? '').replace('ck_live_', 'ck_test_')
    expectError(
      await call(app, 'GET', '/cashout/balance', { key: relabelled }),
      401,
      'unauthorized',
    )
  })

  test('where no live rail is configured, a live key is refused with its own code', async ({
    db,
  }) => {
    const withLive = buildTestApp(db, { env: LIVE_ENV })
    const provider = await registerProvider(withLive.app)
    const { app } = buildTestApp(db)
    const refused = await call(app, 'GET', '/cashout/balance', { key: provider.liveKey ?? '' })
    expectError(refused, 403, 'live_mode_unavailable')
    expect(refused.body.message).toContain('RAIL=hello-clever')
    expect((await call(app, 'GET', '/cashout/balance', { key: provider.key })).status).toBe(200)
    const fresh = await call(app, 'POST', '/cashout/register', { body: registration() })
    expect(fresh.body).toMatchObject({ live_api_key: null, live_api_key_id: null })
  })

  test('keys minted before modes existed keep working, as test keys', async ({ harness, db }) => {
    const provider = await registerProvider(harness.app)
    const legacy = `ck_abcdefghijkl_${'L'.repeat(43)}`
    await db
      .insertInto('api_keys')
      .values({
        provider_id: (
          await db
            .selectFrom('providers')
            .select('id')
            .where('name', '=', provider.name)
            .executeTakeFirstOrThrow()
        ).id,
        prefix: 'abcdefghijkl',
        secret_sha256: await sha256Hex('L'.repeat(43)),
        livemode: false,
        label: null,
        created_at: new Date(),
      })
      .execute()
    expect(await call(harness.app, 'GET', '/cashout/balance', { key: legacy })).toMatchObject({
      status: 200,
      body: { livemode: false },
    })
  })
})

describe('keys the operator issues', () => {
  test('a provider registered before the live rail gets its live key from the operator', async ({
    db,
  }) => {
    const before = buildTestApp(db)
    const provider = await registerProvider(before.app)
    expect(provider.liveKey).toBeNull()
    const refused = await call(before.app, 'POST', `/operator/providers/${provider.name}/keys`, {
      key: OPERATOR_TOKEN,
      body: { livemode: true },
    })
    expectError(refused, 403, 'live_mode_unavailable')
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const issued = await call(app, 'POST', `/operator/providers/${provider.name}/keys`, {
      key: OPERATOR_TOKEN,
      body: { livemode: true, label: 'go live' },
    })
    expect(issued.status).toBe(201)
    expect(issued.body).toMatchObject({ livemode: true, label: 'go live' })
    expect(issued.body.key).toMatch(/^ck_live_/)
    expect(await call(app, 'GET', '/cashout/balance', { key: issued.body.key })).toMatchObject({
      status: 200,
      body: { livemode: true },
    })
    expectError(
      await call(app, 'POST', '/operator/providers/nobody-here/keys', {
        key: OPERATOR_TOKEN,
        body: { livemode: false },
      }),
      404,
      'not_found',
    )
    expectError(
      await call(app, 'POST', `/operator/providers/${provider.name}/keys`, {
        key: provider.key,
        body: { livemode: true },
      }),
      401,
      'unauthorized',
    )
  })

  test('with the live rail switched off, the test key may change account settings again', async ({
    db,
  }) => {
    const withLive = buildTestApp(db, { env: LIVE_ENV })
    const provider = await registerProvider(withLive.app)
    const body = { endpoint: 'https://new.example.com/hook' }
    expectError(
      await call(withLive.app, 'POST', '/cashout/profile', { key: provider.key, body }),
      403,
      'live_key_required',
    )
    const { app } = buildTestApp(db)
    const changed = await call(app, 'POST', '/cashout/profile', { key: provider.key, body })
    expect(changed.status).toBe(200)
    expect(changed.body.endpoint).toBe('https://new.example.com/hook')
  })
})

describe('API keys', () => {
  test('a provider can hold several keys, list them by prefix only, and revoke one', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const created = await call(app, 'POST', '/cashout/keys', {
      key: provider.key,
      body: { label: 'rotation 2026-11' },
    })
    expect(created.status).toBe(201)
    expect(created.body.key).toMatch(/^ck_test_/)
    expect(created.body).toMatchObject({ label: 'rotation 2026-11', livemode: false })

    const second = created.body.key as string
    expect((await call(app, 'GET', '/cashout/profile', { key: second })).status).toBe(200)

    const list = await call(app, 'GET', '/cashout/keys', { key: second })
    expect(list.status).toBe(200)
    expect(list.body.keys).toHaveLength(2)
    expect(JSON.stringify(list.body)).not.toContain(second.slice(21))
    expect(JSON.stringify(list.body)).not.toContain(provider.key.slice(21))
    expect(list.body.keys.map((k: { prefix: string }) => k.prefix)).toContain(second.slice(8, 20))

    const revoked = await call(app, 'DELETE', `/cashout/keys/${provider.keyId}`, { key: second })
    expect(revoked.status).toBe(200)
    expect(revoked.body.revoked_at).not.toBeNull()

    const refused = await call(app, 'GET', '/cashout/profile', { key: provider.key })
    expectError(refused, 401, 'unauthorized')
    expect(refused.body.message).toContain('revoked')
    expect((await call(app, 'GET', '/cashout/profile', { key: second })).status).toBe(200)
  })

  test('the last active key cannot be revoked', async ({ harness }) => {
    const provider = await registerProvider(harness.app)
    const reply = await call(harness.app, 'DELETE', `/cashout/keys/${provider.keyId}`, {
      key: provider.key,
    })
    expectError(reply, 409, 'last_active_key')
    expect((await call(harness.app, 'GET', '/cashout/profile', { key: provider.key })).status).toBe(
      200,
    )
  })

  test('a provider cannot see or revoke another provider’s key', async ({ harness }) => {
    const a = await registerProvider(harness.app)
    const b = await registerProvider(harness.app)
    await call(harness.app, 'POST', '/cashout/keys', { key: b.key, body: {} })
    const reply = await call(harness.app, 'DELETE', `/cashout/keys/${a.keyId}`, { key: b.key })
    expectError(reply, 404, 'not_found')
    expect((await call(harness.app, 'GET', '/cashout/profile', { key: a.key })).status).toBe(200)
  })

  test('records when a key was last used', async ({ harness, db }) => {
    const provider = await registerProvider(harness.app)
    const before = await db
      .selectFrom('api_keys')
      .select('last_used_at')
      .where('id', '=', provider.keyId)
      .executeTakeFirstOrThrow()
    expect(before.last_used_at).toBeNull()
    await call(harness.app, 'GET', '/cashout/profile', { key: provider.key })
    await expect
      .poll(async () => {
        const row = await db
          .selectFrom('api_keys')
          .select('last_used_at')
          .where('id', '=', provider.keyId)
          .executeTakeFirstOrThrow()
        return row.last_used_at
      })
      .not.toBeNull()
  })

  test('writes the last use at most once a minute', async ({ db }) => {
    const clock = manualClock('2026-03-01T00:00:00Z')
    const { app } = buildTestApp(db, { clock })
    const provider = await registerProvider(app)
    const lastUsed = async () =>
      (
        await db
          .selectFrom('api_keys')
          .select('last_used_at')
          .where('id', '=', provider.keyId)
          .executeTakeFirstOrThrow()
      ).last_used_at?.toISOString()
    const use = () => call(app, 'GET', '/cashout/profile', { key: provider.key })
    await use()
    await expect.poll(lastUsed).toBe('2026-03-01T00:00:00.000Z')
    clock.advance(59_000)
    await use()
    clock.advance(2_000)
    await use()
    await expect.poll(lastUsed).toBe('2026-03-01T00:01:01.000Z')
  })

  test.for([
    ['no header', undefined, 'Send your API key'],
    ['a malformed key', 'not-a-key', 'not valid'],
    ['a well-formed key nobody holds', `ck_${'a'.repeat(12)}_${'b'.repeat(43)}`, 'not valid'],
  ] as [string, string | undefined, string][])(
    '%s is a 401',
    async ([, key, message], { harness }) => {
      const reply = await call(harness.app, 'GET', '/cashout/balance', key ? { key } : {})
      expectError(reply, 401, 'unauthorized')
      expect(reply.body.message).toContain(message)
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/)
    },
  )

  test('a known prefix with the wrong secret is a 401', async ({ harness }) => {
    const provider = await registerProvider(harness.app)
    const forged = `${provider.key.slice(0, 21)}${'x'.repeat(43)}`
    expectError(
      await call(harness.app, 'GET', '/cashout/balance', { key: forged }),
      401,
      'unauthorized',
    )
  })

  test('a key of provider A cannot generate claims for provider B', async ({ harness }) => {
    const a = await registerProvider(harness.app)
    const b = await registerProvider(harness.app)
    const reply = await call(harness.app, 'POST', `/cashout/generate/${b.name}`, {
      key: a.key,
      body: { amount: 100, id: 'x' },
    })
    expectError(reply, 403, 'forbidden')
    const unknown = await call(harness.app, 'POST', '/cashout/generate/nobody-here', {
      key: a.key,
      body: { amount: 100, id: 'x' },
    })
    expectError(unknown, 403, 'forbidden')
  })
})
