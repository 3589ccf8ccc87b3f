import { describe, expect } from 'vitest'
import { manualClock } from '../../src/clock.ts'
import { buildTestApp } from '../support/app.ts'
import { call, expectError, registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

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
    expect(created.body.key).toMatch(/^ck_/)
    expect(created.body.label).toBe('rotation 2026-11')

    const second = created.body.key as string
    expect((await call(app, 'GET', '/cashout/profile', { key: second })).status).toBe(200)

    const list = await call(app, 'GET', '/cashout/keys', { key: second })
    expect(list.status).toBe(200)
    expect(list.body.keys).toHaveLength(2)
    expect(JSON.stringify(list.body)).not.toContain(second.slice(16))
    expect(JSON.stringify(list.body)).not.toContain(provider.key.slice(16))
    expect(list.body.keys.map((k: { prefix: string }) => k.prefix)).toContain(second.slice(3, 15))

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
    const forged = `${provider.key.slice(0, 16)}${'x'.repeat(43)}`
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
