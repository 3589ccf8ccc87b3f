import { compileErrors, validate } from '@readme/openapi-parser'
import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { CLAIM_CSV_HEADER } from '../../src/claims/export.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import {
  call,
  expectError,
  fundedProvider,
  generate,
  type Loose,
  liveOf,
  type TestProvider,
} from '../support/client.ts'
import { ownerOf } from '../support/console.ts'
import { parseCsv } from '../support/csv.ts'
import { test } from '../support/fixtures.ts'
import { BANK, payoutHarness, submit } from '../support/payouts.ts'
import { csvRecords, insertClaimRows, LONG, providerIdOf } from './claims-fixtures.ts'

/** 1234 → "12.34", as the export writes amounts. */
const dollars = (minor: number) =>
  `${Math.trunc(minor / 100)}.${String(minor % 100).padStart(2, '0')}`

async function apiCsv(app: App, key: string | undefined, query = '') {
  const res = await app.request(`/cashout/claims.csv${query}`, {
    headers: key ? { Authorization: `Bearer ${key}` } : {},
  })
  return { res, text: await res.text() }
}

async function apiClaims(app: App, p: TestProvider): Promise<Loose[]> {
  return (await call(app, 'GET', '/cashout/claims?limit=100', { key: p.key })).body.claims
}

/** Text as a spreadsheet-safe cell holds it: a would-be formula gets a leading '. */
const safe = (text: string | null) => (text && /^[=+\-@]/.test(text) ? `'${text}` : (text ?? ''))

/** What the API's claim view says each CSV column should hold. */
function expectedRecord(c: Loose): Record<string, string> {
  return {
    uuid: c.uuid,
    reference: safe(c.id),
    customer_id: safe(c.customer_id),
    status: c.status,
    status_reason: c.status_reason ?? '',
    points: String(c.quote.points),
    currency: c.quote.currency,
    gross: dollars(c.quote.gross_minor),
    fee: dollars(c.quote.fee_minor),
    net: dollars(c.quote.net_minor),
    fee_payer: c.quote.fee_payer,
    rule_version: String(c.quote.rule_version),
    livemode: String(c.livemode),
    created_at: c.created_at,
    expires_at: c.expires_at,
    updated_at: c.updated_at,
    payout_destination: '',
  }
}

const TRICKY = ['=HYPERLINK("x")', '+1', '-2', '@x', 'a,b "quoted"', 'plain-ref']

describe('claims CSV export', () => {
  test('the console’s file parses back to exactly the API’s claims, formula-safe', async ({
    harness,
  }) => {
    const { app } = harness
    const p = await fundedProvider(app)
    await call(app, 'PUT', '/cashout/rules', {
      key: p.key,
      body: {
        rate: { points: 100, cash_minor: 7 },
        fee: { fixed_minor: 13, bps: 150, payer: 'customer' },
      },
    })
    for (const [i, id] of TRICKY.entries()) {
      const reply = await generate(app, p, {
        amount: 12_345 + i * 1001,
        id,
        customer_id: i % 2 ? `=cust-${i}` : undefined,
        expires_in: LONG,
      })
      expect(reply.status).toBe(200)
    }
    const cancelled = (await apiClaims(app, p)).find((c) => c.id === '@x')
    await call(app, 'POST', `/cashout/claims/${cancelled.uuid}/cancel`, { key: p.key })

    const { browser } = await ownerOf(app, p)
    const download = await browser.get('/console/claims.csv')
    expect(download.status).toBe(200)
    expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    expect(download.headers.get('content-disposition')).toBe(
      'attachment; filename="claims-test-2026-03-01.csv"',
    )
    const text = download.html
    expect(parseCsv(text)[0]).toEqual(CLAIM_CSV_HEADER)
    const records = csvRecords(text)
    const expected = (await apiClaims(app, p)).map(expectedRecord)
    expect(records).toEqual(expected)
    // Made at one instant, so their order is by uuid; compare the references as a set.
    expect(records.map((r) => r.reference).sort()).toEqual(
      ["'+1", "'-2", `'=HYPERLINK("x")`, "'@x", 'a,b "quoted"', 'plain-ref'].sort(),
    )
    // On the wire: prefixed with ', quoted only where RFC 4180 needs it.
    expect(text).toContain(`,"'=HYPERLINK(""x"")",`)
    expect(text).toContain(`,'+1,`)
    expect(text).toContain(`,'-2,`)
    expect(text).toContain(`,"a,b ""quoted""",`)
    expect(text).toContain(`,'=cust-1,`)
    expect(records.find((r) => r.reference === "'@x")?.status).toBe('cancelled')
    // Amounts are exact decimal dollars: 12,345 points at 7c per 100 points is $8.64.
    expect(records.find((r) => r.reference?.includes('HYPERLINK'))).toMatchObject({
      gross: '8.64',
      fee: '0.25',
      net: '8.39',
    })

    // The same filters as the list narrow the file.
    const open = csvRecords((await browser.get('/console/claims.csv?status=cancelled')).html)
    expect(open.map((r) => r.reference)).toEqual(["'@x"])
    const byRef = csvRecords(
      (await browser.get(`/console/claims.csv?q=${encodeURIComponent('a,b "quoted"')}`)).html,
    )
    expect(byRef.map((r) => r.uuid)).toEqual(
      expected.filter((r) => r.reference === 'a,b "quoted"').map((r) => r.uuid),
    )
  })

  test('the API file needs the key (401), matches the console’s, and keeps to the key’s mode', async ({
    db,
  }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const p = await fundedProvider(app, 100_000, true)
    const live = liveOf(p)
    for (const id of ['t-1', 't-2']) await generate(app, p, { amount: 500, id, expires_in: LONG })
    await generate(app, live, { amount: 700, id: 'l-1', expires_in: LONG })

    const anonymous = await apiCsv(app, undefined)
    expectError(
      {
        status: anonymous.res.status,
        body: JSON.parse(anonymous.text),
        headers: anonymous.res.headers,
      },
      401,
      'unauthorized',
    )
    expect((await apiCsv(app, 'ck_test_nope_nope')).res.status).toBe(401)

    const test = await apiCsv(app, p.key)
    expect(test.res.status).toBe(200)
    expect(test.res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="claims-test-/,
    )
    expect(
      csvRecords(test.text)
        .map((r) => [r.reference, r.livemode])
        .sort(),
    ).toEqual([
      ['t-1', 'false'],
      ['t-2', 'false'],
    ])
    const liveFile = await apiCsv(app, live.key)
    expect(liveFile.res.headers.get('content-disposition')).toMatch(/filename="claims-live-/)
    expect(csvRecords(liveFile.text).map((r) => [r.reference, r.livemode])).toEqual([
      ['l-1', 'true'],
    ])

    const { browser } = await ownerOf(app, p)
    expect((await browser.get('/console/claims.csv')).html).toBe(test.text)
    // The same filters, as query parameters.
    const one = await apiCsv(app, p.key, '?reference=t-1')
    expect(csvRecords(one.text).map((r) => r.reference)).toEqual(['t-1'])
    const bad = await apiCsv(app, p.key, '?status=paid&created_after=yesterday')
    expect(bad.res.status).toBe(422)
    expect(
      JSON.parse(bad.text)
        .details.map((d: Loose) => d.field)
        .sort(),
    ).toEqual(['created_after', 'status'])
  })

  test('the API export is in the OpenAPI document, with its filters and key', async ({
    harness,
  }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const result = await validate(structuredClone(doc))
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true)
    const op = doc.paths['/cashout/claims.csv'].get
    expect(op.security).toEqual([{ providerKey: [] }])
    expect(Object.keys(op.responses['200'].content)).toEqual(['text/csv'])
    expect(op.parameters.map((p: Loose) => p.name).sort()).toEqual([
      'created_after',
      'created_before',
      'customer_id',
      'reference',
      'status',
    ])
    const docs = await (await harness.app.request('/docs')).text()
    expect(docs).toContain('<code>/cashout/claims.csv</code>')
  })

  test('the latest payout’s destination is in the file, masked; never the full account', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const p = await fundedProvider(h.app, 10_000)
    const uuid = (await generate(h.app, p, { amount: 900, id: 'paid', expires_in: LONG })).body.uuid
    await submit(h.app, p, uuid, BANK)
    await h.drain()
    await h.waitForClaim(p, uuid, 'settled')
    const { text } = await apiCsv(h.app, p.key)
    const [record] = csvRecords(text)
    expect(record).toMatchObject({
      status: 'settled',
      payout_destination: 'Jane Citizen, BSB 062-000, account ••••5678',
    })
    expect(text).not.toContain('12345678')
  })

  test('a reference with a line break, comma and quotes round-trips', async ({ harness }) => {
    const { app, deps } = harness
    const p = await fundedProvider(app)
    // The API refuses control characters in a reference, so this row is written directly: the
    // file must stay well-formed whatever text the table holds.
    await insertClaimRows(deps.db, {
      providerId: await providerIdOf(deps.db, p.name),
      count: 1,
      newest: new Date('2026-02-28T00:00:00Z'),
    })
    const odd = 'line one\r\nline "two", =three\nend'
    await deps.db.updateTable('claims').set({ provider_ref: odd }).execute()
    const { text } = await apiCsv(app, p.key)
    expect(csvRecords(text).map((r) => r.reference)).toEqual([odd])
    expect(text).toContain('"line one\r\nline ""two"", =three\nend"')
  })

  test('2,600 claims come out whole and in order across several pages of the stream', async ({
    harness,
  }) => {
    const { app, deps } = harness
    const p = await fundedProvider(app)
    const providerId = await providerIdOf(deps.db, p.name)
    await insertClaimRows(deps.db, {
      providerId,
      count: 2600,
      newest: new Date('2026-02-28T00:00:00Z'),
    })
    await insertClaimRows(deps.db, {
      providerId,
      livemode: false,
      count: 400,
      prefix: 'gone',
      status: 'expired',
      newest: new Date('2026-02-27T00:00:00Z'),
    })
    const { res, text } = await apiCsv(app, p.key, '?status=open')
    expect(res.status).toBe(200)
    const records = csvRecords(text)
    expect(records).toHaveLength(2600)
    const rows = await deps.db
      .selectFrom('claims')
      .select(['id', 'provider_ref', 'customer_id', 'points', 'created_at'])
      .where('status', '=', 'open')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    expect(records.map((r) => r.uuid)).toEqual(rows.map((r) => r.id))
    expect(records.map((r) => [r.reference, r.customer_id, r.points, r.created_at])).toEqual(
      rows.map((r) => [
        r.provider_ref,
        r.customer_id,
        String(r.points),
        r.created_at.toISOString(),
      ]),
    )
    const all = csvRecords((await apiCsv(app, p.key)).text)
    expect(all).toHaveLength(3000)
    expect(new Set(all.map((r) => r.uuid)).size).toBe(3000)
  })
})
