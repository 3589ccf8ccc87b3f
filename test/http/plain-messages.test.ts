import { describe, expect } from 'vitest'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { call, expectError, registerProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

// What zod says when a schema gives no message of its own: none of it may reach a caller.
const LIBRARY_WORDING =
  /Invalid input|Invalid option|Invalid ISO|Too small|Too big|expected .* received|Invalid discriminator/

describe('validation messages are written for people', () => {
  test('a date without its time and zone says what to send', async ({ harness }) => {
    const provider = await registerProvider(harness.app)
    const reply = await call(harness.app, 'GET', '/cashout/claims?created_after=2026-01-01', {
      key: provider.key,
    })
    expectError(reply, 422, 'validation_failed')
    expect(reply.body.details).toEqual([
      {
        field: 'created_after',
        message: 'Must be a date and time with its time zone, like 2026-03-01T09:30:00Z.',
      },
    ])
  })

  test('wrong types across the API get plain messages, each naming its field', async ({
    harness,
  }) => {
    const { app } = harness
    const provider = await registerProvider(app)
    const key = provider.key
    const operator = OPERATOR_TOKEN
    const requests: [string, string, unknown, string | undefined][] = [
      ['POST', `/cashout/generate/${provider.name}`, { amount: '500', id: 7 }, key],
      [
        'POST',
        '/cashout/register',
        { name: 5, pan: 4111, expDate: 3012, ipin: 1234, consent: 'yes', endpoint: 9 },
        undefined,
      ],
      ['PUT', '/cashout/rules', { rate: { points: 'x', cash_minor: true } }, key],
      ['POST', '/cashout/quote', { points: 'many' }, key],
      ['PUT', '/cashout/float/alert', { threshold_minor: 'x' }, key],
      ['POST', '/cashout/keys', { label: 5 }, key],
      ['POST', '/cashout/profile', { accent_colour: 5, endpoint: false }, key],
      [
        'POST',
        `/operator/providers/${provider.name}/credit`,
        { livemode: 'no', amount_minor: '5', reference: 1 },
        operator,
      ],
      ['POST', `/operator/providers/${provider.name}/suspend`, { reason: 5 }, operator],
      [
        'POST',
        `/cashout/claims/${crypto.randomUUID()}/submit`,
        { destination: { type: 'cash' } },
        key,
      ],
      ['GET', '/cashout/claims?limit=lots', undefined, key],
      ['GET', '/cashout/webhooks/deliveries?limit=-1', undefined, key],
    ]
    for (const [method, path, body, bearer] of requests) {
      const reply = await call(app, method, path, { key: bearer, body })
      expect(reply.status, `${method} ${path}: ${JSON.stringify(reply.body)}`).toBe(422)
      const details: { field: string; message: string }[] = reply.body.details ?? []
      expect(details.length, `${method} ${path}`).toBeGreaterThan(0)
      for (const detail of details) {
        expect(detail.message, `${method} ${path} ${detail.field}`).not.toMatch(LIBRARY_WORDING)
        expect(detail.message, `${method} ${path} ${detail.field}`).toMatch(/^[A-Z].*[.!?)]$/)
      }
    }
  })
})
