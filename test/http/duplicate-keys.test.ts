import { describe, expect } from 'vitest'
import { call, expectError, fundedProvider, type Reply, registration } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

/**
 * A JSON body that names a field twice is refused: the parser would keep the last value
 * silently, so `{"amount":5,"amount":500000}` would cash out 500000 points while a log, a
 * signature check or a proxy that keeps the first value saw 5.
 */

function expectRepeated(reply: Reply, path: string) {
  expectError(reply, 400, 'invalid_json')
  expect(reply.body.message).toBe(
    `The request body repeats the field “${path}”; send each field once.`,
  )
  expect(reply.body.details).toEqual([{ field: path, message: 'Send this field once.' }])
}

describe('a field repeated in a JSON body', () => {
  test('generate refuses a repeated amount and makes no claim', async ({ harness }) => {
    const { app } = harness
    const provider = await fundedProvider(app)
    const path = `/cashout/generate/${provider.name}`
    const reply = await call(app, 'POST', path, {
      key: provider.key,
      raw: '{"amount":5,"id":"order-1","amount":500000}',
    })
    expectRepeated(reply, 'amount')
    // Spelt with an escape, it is the same field to the parser, so the same refusal.
    const escaped = await call(app, 'POST', path, {
      key: provider.key,
      raw: '{"amount":5,"id":"order-1","\\u0061mount":500000}',
    })
    expectRepeated(escaped, 'amount')
    const claims = await call(app, 'GET', '/cashout/claims', { key: provider.key })
    expect(claims.body.claims).toEqual([])

    const once = await call(app, 'POST', path, {
      key: provider.key,
      raw: '{"amount":5,"id":"order-1"}',
    })
    expect(once.status).toBe(200)
    expect(once.body.quote.points).toBe(5)
  })

  test('registration refuses a repeated card number and registers no one', async ({
    db,
    harness,
  }) => {
    const body = registration()
    const json = JSON.stringify(body)
    const raw = `${json.slice(0, -1)},"pan":"5555555555554444"}`
    const reply = await call(harness.app, 'POST', '/cashout/register', {
      raw,
      address: '203.0.113.21',
    })
    expectRepeated(reply, 'pan')
    expect(JSON.stringify(reply.body)).not.toContain('5555555555554444')
    expect(await db.selectFrom('providers').select('name').execute()).toEqual([])

    const ok = await call(harness.app, 'POST', '/cashout/register', {
      raw: json,
      address: '203.0.113.21',
    })
    expect(ok.status).toBe(200)
  })

  test('a repeat inside an object is named by its path, and the rule stays as it was', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await fundedProvider(app)
    const before = (await call(app, 'GET', '/cashout/rules', { key: provider.key })).body
    const reply = await call(app, 'PUT', '/cashout/rules', {
      key: provider.key,
      raw: '{"rate":{"points":100,"cash_minor":1,"points":1}}',
    })
    expectRepeated(reply, 'rate.points')
    expect((await call(app, 'GET', '/cashout/rules', { key: provider.key })).body).toEqual(before)
  })

  test('a repeated field named like a card number is not echoed', async ({ harness }) => {
    const provider = await fundedProvider(harness.app)
    const reply = await call(harness.app, 'POST', '/cashout/quote', {
      key: provider.key,
      raw: '{"points":10,"4111111111111111":1,"4111111111111111":2}',
    })
    expectError(reply, 400, 'invalid_json')
    expect(JSON.stringify(reply.body)).not.toContain('4111111111111111')
  })

  test('text that is not JSON keeps the parser’s message, repeat or not', async ({ harness }) => {
    const provider = await fundedProvider(harness.app)
    const reply = await call(harness.app, 'POST', `/cashout/generate/${provider.name}`, {
      key: provider.key,
      raw: '{"amount":5,"amount":6',
    })
    expectError(reply, 400, 'invalid_json')
    expect(reply.body.message).not.toMatch(/repeats/)
  })
})
