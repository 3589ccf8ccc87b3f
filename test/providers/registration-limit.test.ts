import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { buildTestApp } from '../support/app.ts'
import { registration } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const TOKEN = 'registration-token-for-tests-0123'
const HOUR_SECONDS = 3600

/** A registration from `address`, as the socket reports it. */
async function registerFrom(
  app: App,
  address: string,
  options: { token?: string; body?: Record<string, unknown> } = {},
) {
  const res = await app.request(
    '/cashout/register',
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        ...(options.token ? { Authorization: `Bearer ${options.token}` } : {}),
      },
      body: JSON.stringify(options.body ?? registration()),
    },
    { incoming: { socket: { remoteAddress: address } } },
  )
  return { status: res.status, headers: res.headers, body: await res.json() }
}

function expectRateLimited(reply: Awaited<ReturnType<typeof registerFrom>>) {
  expect(reply.status).toBe(429)
  expect(reply.body).toEqual({
    message: expect.stringMatching(/registrations from this address.*an hour/i),
    code: 'rate_limited',
    request_id: expect.any(String),
  })
  const wait = Number(reply.headers.get('retry-after'))
  expect(wait).toBeGreaterThan(0)
  expect(wait).toBeLessThanOrEqual(HOUR_SECONDS)
}

describe('open registration, limited per address', () => {
  test('takes five an hour from one address, even in parallel; the rest are 429 with Retry-After', async ({
    harness,
  }) => {
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => registerFrom(harness.app, '198.51.100.7')),
    )
    expect(replies.filter((r) => r.status === 200)).toHaveLength(5)
    const refused = replies.filter((r) => r.status !== 200)
    expect(refused).toHaveLength(3)
    for (const reply of refused) expectRateLimited(reply)

    // Another address is not held back; one in the same IPv6 /64 counts as the same network.
    expect((await registerFrom(harness.app, '198.51.100.8')).status).toBe(200)
    for (let i = 0; i < 5; i++) {
      expect((await registerFrom(harness.app, `2001:db8:1:2::${i + 1}`)).status).toBe(200)
    }
    expectRateLimited(await registerFrom(harness.app, '2001:db8:1:2:ffff::9'))
  })

  test('counts attempts, not successes: each one checks a card and an endpoint', async ({
    harness,
  }) => {
    for (let i = 0; i < 5; i++) {
      const bad = await registerFrom(harness.app, '198.51.100.9', {
        body: registration({ consent: false }),
      })
      expect(bad.status).toBe(422)
    }
    expectRateLimited(await registerFrom(harness.app, '198.51.100.9'))
  })

  test('never limits the holder of the registration token, open or closed', async ({ db }) => {
    const closedAndOpen: Record<string, string>[] = [
      { REGISTRATION_TOKEN: TOKEN },
      { REGISTRATION_TOKEN: TOKEN, REGISTRATION_OPEN: 'true' },
    ]
    for (const env of closedAndOpen) {
      const { app } = buildTestApp(db, { env })
      for (let i = 0; i < 8; i++) {
        expect((await registerFrom(app, '198.51.100.10', { token: TOKEN })).status).toBe(200)
      }
    }
    // Open with a token: anyone else is limited as usual, and a wrong token is anyone else.
    const { app } = buildTestApp(db, {
      env: { REGISTRATION_TOKEN: TOKEN, REGISTRATION_OPEN: 'true' },
    })
    for (let i = 0; i < 5; i++) {
      const token = i % 2 === 0 ? undefined : `${TOKEN}x`
      expect((await registerFrom(app, '198.51.100.11', { token })).status).toBe(200)
    }
    expectRateLimited(await registerFrom(app, '198.51.100.11'))
    expect((await registerFrom(app, '198.51.100.11', { token: TOKEN })).status).toBe(200)
  })
})
