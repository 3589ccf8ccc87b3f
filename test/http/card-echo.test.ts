import { describe, expect } from 'vitest'
import { OPERATOR_TOKEN } from '../support/app.ts'
import { test } from '../support/fixtures.ts'

/** Two of the card's groups side by side, however separated, mean the card leaked. */
const CARD_DIGITS = /(4111|1111)(?:[ -]|%20|%2D)?1111/i

describe('a card number in a path is never echoed', () => {
  test.for([
    ['/cashout/4111-1111-1111-1111', 'dashes'],
    ['/cashout/4111%201111%201111%201111', 'spaces, URL-encoded'],
    ['/cashout/4111%2D1111%2D1111%2D1111', 'dashes, URL-encoded'],
    ['/cashout/4111111111111111', 'no separators'],
  ] as const)(
    'GET %s (%s) is a 404 that names the path without the card',
    async ([path], { harness }) => {
      const res = await harness.app.request(path)
      expect(res.status).toBe(404)
      const text = await res.text()
      const body = JSON.parse(text)
      expect(body.code).toBe('not_found')
      expect(body.message).toBe('No route matches GET /cashout/[card number].')
      expect(text).not.toMatch(CARD_DIGITS)
      expect(harness.logs.lines.join('\n')).not.toMatch(CARD_DIGITS)
    },
  )

  test('a card number quoted back by a route’s own message is masked too', async ({ harness }) => {
    // A provider name is looked up as given; no provider can be named like a card, but the
    // message that says so quotes it (found by the fuzzer).
    const res = await harness.app.request('/operator/providers/4158125589658779', {
      headers: { Authorization: `Bearer ${OPERATOR_TOKEN}` },
    })
    expect(res.status).toBe(404)
    const text = await res.text()
    expect(JSON.parse(text).message).toBe('No provider is named [card number].')
    expect(text).not.toContain('4158125589658779')
  })

  test('a request id holding a Luhn-valid digit run is logged and answered whole', async ({
    harness,
  }) => {
    // The scrubber once masked the middle of such an id, so its log lines could not be found.
    const id = 'req_4111111111111111abcdef0123456789'
    const res = await harness.app.request('/no/such/route', { headers: { 'X-Request-Id': id } })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-request-id')).toBe(id)
    expect((await res.json()).request_id).toBe(id)
    const logged = harness.logs.entries().filter((entry) => entry.request_id === id)
    expect(logged.length).toBeGreaterThan(0)
  })
})
