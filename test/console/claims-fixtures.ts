import { sql } from 'kysely'
import type { App } from '../../src/app.ts'
import type { Db } from '../../src/db/schema.ts'
import { generate, type TestProvider } from '../support/client.ts'
import { parseCsv } from '../support/csv.ts'

/** Claims in these tests stay open for 30 days, so moving the clock does not expire them. */
export const LONG = 30 * 24 * 3600

/** An open claim generated through the API; its uuid. */
export async function claim(
  app: App,
  p: TestProvider,
  id: string,
  extra: Record<string, unknown> = {},
): Promise<string> {
  const reply = await generate(app, p, { amount: 1000, id, expires_in: LONG, ...extra })
  if (reply.status !== 200) throw new Error(JSON.stringify(reply.body))
  return reply.body.uuid as string
}

/** The claim uuids a console page links to, in the order shown. */
export function listed(html: string): string[] {
  return [...html.matchAll(/href="\/console\/claims\/([0-9a-f-]{36})"/g)].map((m) => m[1] ?? '')
}

/** The records of a CSV file as objects keyed by its header; every record must fit the header. */
export function csvRecords(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text)
  if (!header) throw new Error('no header')
  return rows.map((cells, n) => {
    if (cells.length !== header.length) {
      throw new Error(`record ${n + 1} has ${cells.length} fields, the header ${header.length}`)
    }
    return Object.fromEntries(header.map((name, i) => [name, cells[i] ?? '']))
  })
}

export async function providerIdOf(db: Db, name: string): Promise<string> {
  const row = await db
    .selectFrom('providers')
    .select('id')
    .where('name', '=', name)
    .executeTakeFirstOrThrow()
  return row.id
}

/**
 * A fixture, not the product's way in: `count` open claims written straight into the table in
 * one statement (generating thousands through the API would take minutes). They carry no
 * reservation in the ledger, so use them only where the ledger is not under test. Every three
 * share a creation time, so keyset paging has ties to get right; `ref-<n>` is newest at n = 1.
 */
export async function insertClaimRows(
  db: Db,
  input: {
    providerId: string
    livemode?: boolean
    count: number
    newest: Date
    prefix?: string
    status?: string
  },
) {
  const livemode = input.livemode ?? false
  const rule = await db
    .selectFrom('rules')
    .select((eb) => eb.fn.max('version').as('version'))
    .where('provider_id', '=', input.providerId)
    .where('livemode', '=', livemode)
    .executeTakeFirstOrThrow()
  const prefix = input.prefix ?? 'ref'
  const expires = new Date(input.newest.getTime() + 30 * 24 * 3600_000)
  await sql`
    insert into claims (id, provider_id, livemode, provider_ref, request_sha256, customer_id,
      points, rule_version, currency, gross_minor, fee_minor, fee_payer, net_minor, reserved_minor,
      status, event_sequence, expires_at, created_at, updated_at)
    select gen_random_uuid(), ${input.providerId}, ${livemode}, ${prefix} || '-' || n, 'fixture',
      'cust-' || (n % 7), 100 + n, ${rule.version}, 'AUD', 100 + n, 25, 'provider', 75 + n,
      100 + n, ${input.status ?? 'open'}, 1, ${expires},
      ${input.newest}::timestamptz - ((n / 3) * interval '1 second'),
      ${input.newest}::timestamptz - ((n / 3) * interval '1 second')
    from generate_series(1, ${input.count}::int) as n
  `.execute(db)
}
