import { sql } from 'kysely'
import { describe, expect } from 'vitest'
import { OPERATOR_TOKEN } from '../../support/app.ts'
import { fundedProvider, generate } from '../../support/client.ts'
import { test } from '../../support/fixtures.ts'
import { PAYID, payoutHarness, submit } from '../../support/payouts.ts'
import { seeded } from '../random.ts'
import { runFuzzer } from './fuzzer.ts'
import { snapshot } from './snapshot.ts'

describe('the fuzzer', () => {
  test('hostile requests to every route draw no 5xx, keep the error shape and change nothing', async ({
    db,
  }) => {
    const h = await payoutHarness(db)
    const provider = await fundedProvider(h.app)
    const claims: string[] = []
    for (const id of ['open-1', 'open-2', 'paid-1']) {
      claims.push((await generate(h.app, provider, { amount: 2500, id })).body.uuid)
    }
    await submit(h.app, provider, claims[2] as string, PAYID)
    await h.drain()
    await h.waitForClaim(provider, claims[2] as string, 'settled')

    const query = async (text: string) => (await sql.raw<{ rows: unknown }>(text).execute(db)).rows
    const before = await snapshot(query)
    const result = await runFuzzer({
      baseUrl: h.cashoutUrl,
      apiKey: provider.key,
      providerName: provider.name,
      operatorToken: OPERATOR_TOKEN,
      claimIds: claims,
      requests: 1500,
      concurrency: 8,
      random: seeded(20261121),
    })

    expect(result.serverErrors).toEqual([])
    expect(result.contractBreaks).toEqual([])
    expect(result.networkErrors).toBe(0)
    expect(result.sent).toBe(1500)
    const refusals = Object.keys(result.byStatus).filter((s) => s >= '400' && s < '500')
    expect(refusals).toEqual(expect.arrayContaining(['400', '401', '404', '413', '415', '422']))
    expect(await snapshot(query)).toBe(before)
    const logs = h.logs.lines.join('\n')
    expect(result.cards.filter((card) => logs.includes(card))).toEqual([])
  }, 120_000)
})
