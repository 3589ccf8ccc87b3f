import type { LogEvent } from 'kysely'
import { describe, expect, test } from 'vitest'
import { sweepExpiredClaims } from '../../src/claims/expire.ts'
import type { ManualClock } from '../../src/clock.ts'
import { withTx } from '../../src/db/tx.ts'
import { settlePayouts } from '../../src/payouts/outcome.ts'
import { buildTestApp } from '../support/app.ts'
import { call, fundedProvider, generate, type TestProvider } from '../support/client.ts'
import { createTestDb } from '../support/db.ts'

/**
 * Round trips to the database per operation, counted through Kysely's query log (BEGIN and
 * COMMIT included), so a change that adds statements to a hot path fails here, not only in the
 * benchmark. Before the lifecycle was set-based: generate 11, a repeat 5, the page 2 (3 once
 * submitted), submit 9, cancel 11 (each with the key's read), and the sweep and settlements
 * grew by about eight statements per claim.
 */
async function counted() {
  const seen: string[] = []
  const testDb = await createTestDb({
    log: (event: LogEvent) => {
      seen.push(event.query.sql)
    },
  })
  const harness = buildTestApp(testDb.db)
  return {
    harness,
    close: () => testDb.close(),
    async count(run: () => Promise<unknown>): Promise<string[]> {
      seen.length = 0
      await run()
      return [...seen]
    },
  }
}

const submitBody = { type: 'payid', payid_type: 'email', payid: 'a@example.com' }

async function openClaims(
  app: ReturnType<typeof buildTestApp>['app'],
  p: TestProvider,
  n: number,
  tag: string,
) {
  const ids: string[] = []
  for (let i = 0; i < n; i++) {
    ids.push(
      String(
        (await generate(app, p, { amount: 100, id: `${tag}-${i}`, expires_in: 600 })).body.uuid,
      ),
    )
  }
  return ids
}

describe('statements per operation', () => {
  test('generate is one statement; the page one; submit and cancel five', async () => {
    const t = await counted()
    try {
      const { app } = t.harness
      const p = await fundedProvider(app, 1_000_000)
      // The first request reads the key and the provider's rule; later ones have them cached.
      await generate(app, p, { amount: 100, id: 'warm' })

      let reply: Awaited<ReturnType<typeof generate>> | undefined
      const made = await t.count(async () => {
        reply = await generate(app, p, { amount: 100, id: 'g1' })
      })
      expect(reply?.status).toBe(200)
      expect(made).toHaveLength(1)
      expect(made[0]).toMatch(/insert into claims/)

      const repeat = await t.count(() => generate(app, p, { amount: 100, id: 'g1' }))
      expect(repeat).toHaveLength(2)

      const uuid = String(reply?.body.uuid)
      expect(await t.count(() => Promise.resolve(app.request(`/c/${uuid}`)))).toHaveLength(1)

      const submit = await t.count(() =>
        call(app, 'POST', `/cashout/claims/${uuid}/submit`, { key: p.key, body: submitBody }),
      )
      expect(submit).toEqual([
        'begin',
        expect.any(String),
        expect.any(String),
        expect.any(String),
        'commit',
      ])
      // The page of a submitted claim, with its payout: still one.
      expect(await t.count(() => Promise.resolve(app.request(`/c/${uuid}`)))).toHaveLength(1)

      const [other] = await openClaims(app, p, 1, 'cancel')
      const cancel = await t.count(() =>
        call(app, 'POST', `/cashout/claims/${other}/cancel`, { key: p.key }),
      )
      expect(cancel).toHaveLength(5)
    } finally {
      await t.close()
    }
  })

  test('the sweep and settlements take as many statements for thirty claims as for two', async () => {
    const t = await counted()
    try {
      const { app, deps } = t.harness
      const clock = deps.clock as ManualClock
      const p = await fundedProvider(app, 1_000_000)
      const sweepOf = async (n: number, tag: string) => {
        await openClaims(app, p, n, tag)
        clock.advance(601_000)
        return t.count(() => sweepExpiredClaims({ deps }))
      }
      const small = await sweepOf(2, 'few')
      const large = await sweepOf(30, 'many')
      expect(small.length).toBe(large.length)
      expect(large.length).toBeLessThanOrEqual(5)

      const settleOf = async (n: number, tag: string) => {
        const ids = await openClaims(app, p, n, tag)
        for (const uuid of ids) {
          await call(app, 'POST', `/cashout/claims/${uuid}/submit`, {
            key: p.key,
            body: submitBody,
          })
        }
        const payouts = await deps.db
          .selectFrom('payouts')
          .select('id')
          .where('claim_id', 'in', ids)
          .execute()
        let settled = 0
        const statements = await t.count(async () => {
          const outcomes = await withTx(deps.db, (tx) =>
            settlePayouts(tx, {
              payouts,
              now: clock.now(),
              logger: deps.logger,
              finisher: { by: 'rail' },
            }),
          )
          settled = outcomes.filter((o) => o.applied && o.claim?.status === 'settled').length
        })
        expect(settled).toBe(n)
        return statements
      }
      const two = await settleOf(2, 'pay-few')
      const thirty = await settleOf(30, 'pay-many')
      expect(two.length).toBe(thirty.length)
      expect(thirty.length).toBeLessThanOrEqual(5)
    } finally {
      await t.close()
    }
  })

  test('page views that arrive together share one query, each showing its own claim', async () => {
    const t = await counted()
    try {
      const { app } = t.harness
      const p = await fundedProvider(app, 1_000_000)
      const ids = await openClaims(app, p, 6, 'page')
      const pages: string[] = []
      const statements = await t.count(async () => {
        const replies = await Promise.all(ids.map((uuid) => app.request(`/c/${uuid}`)))
        for (const reply of replies) pages.push(await reply.text())
      })
      expect(statements).toHaveLength(1)
      expect(statements[0]).toMatch(/from "claims"/)
      // Six offers, each for its own claim: the form posts back to its own link.
      for (const [i, uuid] of ids.entries()) expect(pages[i]).toContain(`action="/c/${uuid}"`)
      // A link that names no claim, among real ones, is unavailable; the others still show.
      const [unknown, known] = await Promise.all([
        app.request('/c/00000000-0000-4000-8000-000000000000'),
        app.request(`/c/${ids[0]}`),
      ])
      expect(unknown.status).toBe(404)
      expect(known.status).toBe(200)
    } finally {
      await t.close()
    }
  })
})
