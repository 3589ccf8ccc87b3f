import fc from 'fast-check'
import { sql } from 'kysely'
import { describe, expect } from 'vitest'
import { sweepExpiredClaims } from '../../src/claims/expire.ts'
import type { ManualClock } from '../../src/clock.ts'
import type { Db } from '../../src/db/schema.ts'
import { call, credit, generate, registerProvider, type TestProvider } from '../support/client.ts'
import { emptyDatabase } from '../support/db.ts'
import { test } from '../support/fixtures.ts'

type Op =
  | { kind: 'credit'; provider: number; amount: number }
  | { kind: 'generate'; provider: number; amount: number; ref: number }
  | { kind: 'cancel'; pick: number }
  | { kind: 'expire'; minutes: number }

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('credit' as const),
    provider: fc.nat(1),
    amount: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant('generate' as const),
    provider: fc.nat(1),
    amount: fc.integer({ min: 1, max: 3000 }),
    ref: fc.nat(6),
  }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(20) }),
  fc.record({ kind: fc.constant('expire' as const), minutes: fc.integer({ min: 1, max: 20 }) }),
)

/** Everything the ledger promises, checked against the database itself. */
async function assertInvariants(db: Db) {
  const total = await sql<{
    sum: string
  }>`select coalesce(sum(balance), 0) as sum from ledger_accounts`.execute(db)
  expect(BigInt(total.rows[0]?.sum ?? 'x')).toBe(0n)

  const drift = await sql<{ id: string }>`
    select a.id from ledger_accounts a
    where a.balance <> coalesce((select sum(amount_minor) from ledger_transfers where credit_account_id = a.id), 0)
                    - coalesce((select sum(amount_minor) from ledger_transfers where debit_account_id = a.id), 0)
  `.execute(db)
  expect(drift.rows).toEqual([])

  const negative = await sql<{ id: string }>`
    select id from ledger_accounts where kind in ('available', 'reserved') and balance < 0
  `.execute(db)
  expect(negative.rows).toEqual([])

  const reservedMismatch = await sql<{ provider_id: string }>`
    select a.provider_id from ledger_accounts a
    where a.kind = 'reserved' and a.balance <> coalesce((
      select sum(reserved_minor) from claims c
      where c.provider_id = a.provider_id and c.livemode = a.livemode
        and c.status in ('open', 'submitted', 'processing')
    ), 0)
  `.execute(db)
  expect(reservedMismatch.rows).toEqual([])

  // The platform's side is per provider: no transfer reaches into another provider's accounts.
  const strays = await sql<{ id: string }>`
    select t.id from ledger_transfers t
    join ledger_accounts a on a.id in (t.debit_account_id, t.credit_account_id)
    where a.provider_id is distinct from t.provider_id
  `.execute(db)
  expect(strays.rows).toEqual([])
}

describe('ledger invariants under random operations', () => {
  test('hold after every step of any sequence of credit, generate, cancel and expire', async ({
    harness,
    db,
  }) => {
    const clock = harness.deps.clock as ManualClock
    await fc.assert(
      fc
        .asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
          const providers: TestProvider[] = [
            await registerProvider(harness.app),
            await registerProvider(harness.app),
          ]
          const claims: { provider: TestProvider; uuid: string }[] = []
          for (const step of ops) {
            if (step.kind === 'credit') {
              await credit(harness.app, providers[step.provider]?.name ?? '', step.amount)
            } else if (step.kind === 'generate') {
              const provider = providers[step.provider] as TestProvider
              const reply = await generate(harness.app, provider, {
                amount: step.amount,
                id: `r${step.ref}`,
                expires_in: 300 + step.ref * 60,
              })
              expect([200, 409]).toContain(reply.status)
              if (reply.status === 200) claims.push({ provider, uuid: reply.body.uuid })
            } else if (step.kind === 'cancel') {
              const target = claims[step.pick % Math.max(claims.length, 1)]
              if (target) {
                const reply = await call(
                  harness.app,
                  'POST',
                  `/cashout/claims/${target.uuid}/cancel`,
                  {
                    key: target.provider.key,
                  },
                )
                expect([200, 409]).toContain(reply.status)
              }
            } else {
              clock.advance(step.minutes * 60_000)
              await sweepExpiredClaims({ deps: harness.deps })
            }
            await assertInvariants(db)
          }
        })
        .beforeEach(() => emptyDatabase(db)),
      { numRuns: 25 },
    )
  })
})
