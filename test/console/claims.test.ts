import { describe, expect } from 'vitest'
import type { ManualClock } from '../../src/clock.ts'
import { startOfDayIn } from '../../src/console/claims-model.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, fundedProvider, liveOf } from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'
import { claim, listed } from './claims-fixtures.ts'

describe('console claims list', () => {
  test('filters by status, dates (store time zone), customer, reference and uuid', async ({
    harness,
  }) => {
    const { app } = harness
    const clock = harness.deps.clock as ManualClock
    const p = await fundedProvider(app)
    // 2026-03-01T00:00Z is 11 am on 1 March in Sydney (AEDT, UTC+11).
    const first = await claim(app, p, 'order-1', { customer_id: 'cust-a' })
    clock.advance(2 * 24 * 3600_000)
    const second = await claim(app, p, 'order-2', { customer_id: 'cust-b' })
    // 14:00 UTC on 3 March is 1 am on 4 March in Sydney: "to 3 March" must leave it out.
    clock.advance(14 * 3600_000)
    const third = await claim(app, p, 'order-3', { customer_id: 'cust-a' })
    expect(
      (await call(app, 'POST', `/cashout/claims/${second}/cancel`, { key: p.key })).status,
    ).toBe(200)
    const { browser } = await ownerOf(app, p)

    const all = await browser.open('/console/claims')
    expect(all.status).toBe(200)
    expect(listed(all.html)).toEqual([third, second, first])
    const text = textOf(all.html)
    expect(text).toContain('order-1')
    expect(text).toContain('cust-a')
    expect(text).toContain('$10.00')
    expect(text).toContain('Cancelled')
    expect(text).toContain('1 Mar 2026, 11:00 am AEDT')

    const list = async (query: string) =>
      listed((await browser.open(`/console/claims?${query}`)).html)
    expect(await list('status=cancelled')).toEqual([second])
    expect(await list('status=open')).toEqual([third, first])
    expect(await list('status=')).toEqual([third, second, first])
    expect(await list('from=2026-03-03')).toEqual([third, second])
    expect(await list('to=2026-03-03')).toEqual([second, first])
    expect(await list('from=2026-03-04&to=2026-03-04')).toEqual([third])
    expect(await list('customer=cust-a')).toEqual([third, first])
    expect(await list('customer=cust-a&status=open&to=2026-03-02')).toEqual([first])
    expect(await list('q=order-2')).toEqual([second])
    expect(await list(`q=${first}`)).toEqual([first])
    expect(await list(`q=${first.toUpperCase()}`)).toEqual([first])
    expect(await list('q=order')).toEqual([])

    const none = await browser.open('/console/claims?customer=nobody')
    expect(textOf(none.html)).toContain('No claims match these filters.')
    // The form comes back filled in, and "Export CSV" carries the same filters.
    const filtered = await browser.open(
      '/console/claims?status=open&customer=cust-a&from=2026-03-01',
    )
    expect(filtered.html).toMatch(/<option value="open" selected/)
    expect(filtered.html).toContain('value="cust-a"')
    expect(filtered.html).toContain(
      'href="/console/claims.csv?status=open&amp;from=2026-03-01&amp;customer=cust-a"',
    )
  })

  test('a refused filter is shown beside its field, the form refilled, nothing listed', async ({
    harness,
  }) => {
    const p = await fundedProvider(harness.app)
    await claim(harness.app, p, 'kept')
    const { browser } = await ownerOf(harness.app, p)
    const page = await browser.open('/console/claims?from=2026-02-30&to=2026-01-01&status=paid&q=x')
    expect(page.status).toBe(422)
    const text = textOf(page.html)
    expect(text).toContain('There is a problem')
    expect(text).toContain('Enter a date as year-month-day')
    expect(text).toContain('Choose a status from the list.')
    expect(page.html).toContain('value="2026-02-30"')
    expect(listed(page.html)).toEqual([])
    expect(text).not.toContain('Export CSV')

    const order = await browser.open('/console/claims?from=2026-03-02&to=2026-03-01')
    expect(order.status).toBe(422)
    expect(textOf(order.html)).toContain('Must be on or after the “Created from” date.')

    const cursor = await browser.open('/console/claims?cursor=not-a-cursor')
    expect(cursor.status).toBe(422)
    expect(textOf(cursor.html)).toContain('Start from the first page.')
  })

  test('pages of 50 follow each other with "Next page", newest first, none twice', async ({
    harness,
  }) => {
    const { app } = harness
    const clock = harness.deps.clock as ManualClock
    const p = await fundedProvider(app)
    const made: string[] = []
    for (let i = 0; i < 53; i++) {
      // Two claims per instant, so the page boundary falls between claims made at once.
      if (i % 2 === 0) clock.advance(1000)
      made.push(await claim(app, p, `bulk-${i}`, { customer_id: i % 2 ? 'odd' : 'even' }))
    }
    const { browser } = await ownerOf(app, p)
    const one = await browser.open('/console/claims')
    const first = listed(one.html)
    expect(first).toHaveLength(50)
    expect(textOf(one.html)).not.toContain('First page')
    const next = /<a href="(\/console\/claims\?cursor=[^"]+)">Next page<\/a>/.exec(one.html)?.[1]
    expect(next).toBeDefined()
    const two = await browser.open((next ?? '').replaceAll('&amp;', '&'))
    const second = listed(two.html)
    expect(second).toHaveLength(3)
    expect(textOf(two.html)).toContain('First page')
    expect(two.html).not.toContain('>Next page<')
    const shown = [...first, ...second]
    expect(new Set(shown).size).toBe(53)
    const rows = await harness.deps.db
      .selectFrom('claims')
      .select('id')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    expect(shown).toEqual(rows.map((r) => r.id))

    // The filters ride along with the cursor.
    const odd = await browser.open('/console/claims?customer=odd')
    expect(listed(odd.html)).toHaveLength(26)
    expect(odd.html).not.toContain('>Next page<')
  })

  test('only the signed-in provider’s claims; another’s uuid is a 404', async ({ harness }) => {
    const mine = await fundedProvider(harness.app)
    const theirs = await fundedProvider(harness.app)
    const own = await claim(harness.app, mine, 'shared-ref')
    const other = await claim(harness.app, theirs, 'shared-ref')
    const { browser } = await ownerOf(harness.app, mine)
    expect(listed((await browser.open('/console/claims')).html)).toEqual([own])
    expect(listed((await browser.open(`/console/claims?q=${other}`)).html)).toEqual([])

    const page = await browser.open(`/console/claims/${other}`)
    expect(page.status).toBe(404)
    expect(textOf(page.html)).toContain('There is no claim with that uuid.')
    expect((await browser.open('/console/claims/not-a-uuid')).status).toBe(404)
    const cancel = await browser.submit(`/console/claims/${other}/cancel`)
    expect(cancel.status).toBe(404)
    const still = await call(harness.app, 'GET', `/cashout/claims/${other}`, { key: theirs.key })
    expect(still.body.status).toBe('open')
  })

  test('the session’s mode decides which claims are listed, opened and exported', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const p = await fundedProvider(app, 100_000, true)
    const testClaim = await claim(app, p, 'same-ref')
    const liveClaim = await claim(app, liveOf(p), 'same-ref')
    const { browser } = await ownerOf(app, p)
    expect(listed((await browser.open('/console/claims')).html)).toEqual([testClaim])
    expect((await browser.open(`/console/claims/${liveClaim}`)).status).toBe(404)

    const switched = await browser.submit('/console/mode', {
      mode: 'live',
      back: '/console/claims',
    })
    expect(switched.status).toBe(303)
    expect(listed((await browser.open('/console/claims')).html)).toEqual([liveClaim])
    expect((await browser.open(`/console/claims/${testClaim}`)).status).toBe(404)
    expect((await browser.open(`/console/claims/${liveClaim}`)).status).toBe(200)
    const csv = await browser.get('/console/claims.csv')
    expect(csv.headers.get('content-disposition')).toContain('claims-live-')
    expect(csv.html).toContain(liveClaim)
    expect(csv.html).not.toContain(testClaim)
  })

  test('signed out, the list and the export send people to sign in', async ({ harness }) => {
    for (const path of ['/console/claims', '/console/claims.csv']) {
      const res = await harness.app.request(path)
      expect(res.status).toBe(302)
      expect(res.headers.get('location')).toBe('/console/sign-in')
    }
  })
})

describe('calendar days in the store’s time zone', () => {
  test.for([
    ['2026-03-01', 'Australia/Sydney', '2026-02-28T13:00:00.000Z'],
    // Daylight saving ends at 3 am on 5 April 2026 and starts at 2 am on 4 October 2026.
    ['2026-04-05', 'Australia/Sydney', '2026-04-04T13:00:00.000Z'],
    ['2026-04-06', 'Australia/Sydney', '2026-04-05T14:00:00.000Z'],
    ['2026-10-04', 'Australia/Sydney', '2026-10-03T14:00:00.000Z'],
    ['2026-10-05', 'Australia/Sydney', '2026-10-04T13:00:00.000Z'],
    ['2026-07-01', 'Australia/Perth', '2026-06-30T16:00:00.000Z'],
    ['2026-07-01', 'UTC', '2026-07-01T00:00:00.000Z'],
    ['2026-03-08', 'America/New_York', '2026-03-08T05:00:00.000Z'],
  ])('%s begins in %s at %s', ([day, zone, instant]) => {
    expect(startOfDayIn(day ?? '', zone ?? '').toISOString()).toBe(instant)
  })
})
