import { describe, expect } from 'vitest'
import { call, registerProvider, VALID_PAN } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

/**
 * 4111 1111 1111 1111 written every way a person types it or the card field takes it: groups
 * split by runs of spaces (NBSP and the other Unicode spaces too), dashes, dots, underscores,
 * plus signs or slashes. Each is URL-encoded as a client would send it in a path.
 */
const FORMS: [string, string][] = [
  ['dots', '4111.1111.1111.1111'],
  ['underscores', '4111_1111_1111_1111'],
  ['double spaces', '4111  1111  1111  1111'],
  ['double dashes', '4111--1111--1111--1111'],
  ['plus signs', '4111+1111+1111+1111'],
  ['no-break spaces', '4111\u00a01111\u00a01111\u00a01111'],
  ['thin spaces', '4111\u20091111\u20091111\u20091111'],
  ['slashes', '4111/1111/1111/1111'],
  ['spaced dashes', '4111 - 1111 - 1111 - 1111'],
]

/** How a path segment reaches the server: encoded, but `/` and `+` as typed. */
function inPath(card: string) {
  return encodeURI(card)
}

/** Two of the card's groups anywhere in a text, whatever lies between them. */
function leaks(text: string) {
  return /(?:4111|1111)(?:[^0-9a-z]|%[0-9a-f]{2}){1,9}1111/i.test(text)
}

describe('a card number in any typed form is never echoed or logged', () => {
  test.for(FORMS)(
    'GET /cashout/<card with %s> is a 404 that masks it',
    async ([, card], { harness }) => {
      const res = await harness.app.request(`/cashout/${inPath(card)}`)
      expect(res.status).toBe(404)
      const text = await res.text()
      expect(JSON.parse(text).message).toContain('[card number]')
      expect(leaks(text)).toBe(false)
      expect(leaks(harness.logs.lines.join('\n'))).toBe(false)
    },
  )

  test.for(FORMS)(
    'POST /cashout/generate/<card with %s> is refused without quoting it',
    async ([, card], { harness }) => {
      const p = await registerProvider(harness.app)
      const reply = await call(harness.app, 'POST', `/cashout/generate/${inPath(card)}`, {
        key: p.key,
        body: { amount: 2500, id: 'x-1' },
      })
      expect(reply.status).toBeGreaterThanOrEqual(400)
      expect(reply.status).toBeLessThan(500)
      expect(leaks(JSON.stringify(reply.body))).toBe(false)
      expect(leaks(harness.logs.lines.join('\n'))).toBe(false)
    },
  )

  test.for([
    ['underscores', '4111_1111_1111_1111'],
    ['dashes', '4111-1111-1111-1111'],
    ['no separators', VALID_PAN],
  ] as [string, string][])(
    'an X-Request-Id holding a card number (%s) is replaced, never echoed or logged',
    async ([, id], { harness }) => {
      const res = await harness.app.request('/no/such/route', { headers: { 'X-Request-Id': id } })
      expect(res.status).toBe(404)
      const given = res.headers.get('x-request-id') ?? ''
      expect(given).toMatch(/^req_[0-9a-f]{32}$/)
      expect((await res.json()).request_id).toBe(given)
      const logged = harness.logs.entries().filter((entry) => entry.request_id === given)
      expect(logged.length).toBeGreaterThan(0)
      expect(leaks(harness.logs.lines.join('\n'))).toBe(false)
    },
  )

  test('a client’s own request id without a card number is kept, for its own logs', async ({
    harness,
  }) => {
    for (const id of ['order-2026-11-30-0042', 'req_4111111111111111abcdef0123456789']) {
      const res = await harness.app.request('/no/such/route', { headers: { 'X-Request-Id': id } })
      expect(res.headers.get('x-request-id')).toBe(id)
      expect((await res.json()).request_id).toBe(id)
    }
  })
})
