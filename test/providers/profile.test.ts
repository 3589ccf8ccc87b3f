import { describe, expect } from 'vitest'
import { call, expectError, registerProvider, VALID_PAN_19 } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

describe('POST /cashout/profile', () => {
  test('changes the endpoint', async ({ harness }) => {
    const p = await registerProvider(harness.app)
    const reply = await call(harness.app, 'POST', '/cashout/profile', {
      key: p.key,
      body: { endpoint: 'https://new.example.com/hook' },
    })
    expect(reply.status).toBe(200)
    expect(reply.body).toMatchObject({
      endpoint: 'https://new.example.com/hook',
      card_last4: '1111',
    })
  })

  test('changes the card, re-encrypted, with the IPIN checked and dropped', async ({
    harness,
    db,
  }) => {
    const p = await registerProvider(harness.app)
    const before = await db
      .selectFrom('providers')
      .select('card_jwe')
      .where('name', '=', p.name)
      .executeTakeFirstOrThrow()
    const reply = await call(harness.app, 'POST', '/cashout/profile', {
      key: p.key,
      body: { pan: VALID_PAN_19, expDate: '3001', ipin: '4321', consent: true },
    })
    expect(reply.status).toBe(200)
    expect(reply.body.card_last4).toBe('0002')
    const after = await db
      .selectFrom('providers')
      .select('card_jwe')
      .where('name', '=', p.name)
      .executeTakeFirstOrThrow()
    expect(after.card_jwe).not.toBe(before.card_jwe)
    expect(JSON.parse(await harness.deps.vault.open(after.card_jwe))).toEqual({
      pan: VALID_PAN_19,
      exp: '3001',
    })
  })

  test.for([
    ['nothing to change', {}, 'body'],
    ['a card without its IPIN', { pan: VALID_PAN_19, expDate: '3001', consent: true }, 'ipin'],
    ['a card without consent', { pan: VALID_PAN_19, expDate: '3001', ipin: '4321' }, 'consent'],
    [
      'an expired card',
      { pan: VALID_PAN_19, expDate: '2001', ipin: '4321', consent: true },
      'expDate',
    ],
    ['a private endpoint', { endpoint: 'https://192.168.1.1/x' }, 'endpoint'],
  ] as [string, Record<string, unknown>, string][])(
    'refuses %s and changes nothing',
    async ([, body, field], { harness }) => {
      const p = await registerProvider(harness.app)
      const reply = await call(harness.app, 'POST', '/cashout/profile', { key: p.key, body })
      expectError(reply, 422, 'validation_failed')
      expect(reply.body.details.map((d: { field: string }) => d.field)).toContain(field)
      const profile = await call(harness.app, 'GET', '/cashout/profile', { key: p.key })
      expect(profile.body).toMatchObject({
        endpoint: 'https://hooks.example.com/cashout',
        card_last4: '1111',
      })
    },
  )
})
