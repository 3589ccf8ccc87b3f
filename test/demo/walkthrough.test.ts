import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, onTestFinished } from 'vitest'
import type { Db } from '../../src/db/schema.ts'
import { DemoError } from '../../src/demo/api.ts'
import { readDemoFile, writeDemoFile } from '../../src/demo/demo-file.ts'
import { cashOutOnPage } from '../../src/demo/page-driver.ts'
import { type DemoOptions, runDemo } from '../../src/demo/walkthrough.ts'
import { startLoop } from '../../src/jobs/loop.ts'
import { runWebhookBatch } from '../../src/webhooks/worker.ts'
import { call } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { payoutHarness } from '../support/payouts.ts'
import { freePort } from '../support/server-process.ts'

async function demoServer(db: Db, env: Record<string, string> = {}) {
  const harness = await payoutHarness(db, { env: { ALLOW_LOOPBACK_ENDPOINTS: 'true', ...env } })
  harness.startWorker()
  const webhooks = startLoop(
    'test webhook worker',
    () => runWebhookBatch({ deps: harness.deps, workerId: 'demo-test' }),
    25,
    harness.deps.logger,
  )
  onTestFinished(() => webhooks.stop())
  return harness
}

function options(baseUrl: string, overrides: Partial<DemoOptions> = {}) {
  const lines: string[] = []
  const opts: DemoOptions = {
    baseUrl,
    dataDir: join(mkdtempSync(join(tmpdir(), 'cashout-demo-')), 'data'),
    auto: true,
    payid: 'jane@example.com',
    points: 2500,
    receiverPort: 0,
    registrationToken: undefined,
    timeoutMs: 20_000,
    print: (line) => lines.push(line),
    ...overrides,
  }
  return { opts, lines }
}

describe('npm run demo', () => {
  test('registers, funds, sets the rule, cashes out and sees both webhooks verify; then reuses the provider', async ({
    db,
  }) => {
    const server = await demoServer(db)
    const { opts, lines } = options(server.cashoutUrl)
    const first = await runDemo(opts)
    expect(first.outcome).toBe('claim.settled')
    const ours = first.webhooks.filter((w) => w.body.uuid === first.claimId)
    expect(ours.map((w) => [w.body.event, w.verdict])).toEqual([
      ['claim.submitted', 'ok'],
      ['claim.settled', 'ok'],
    ])
    expect(lines.join('\n')).toMatch(/Registered demo provider demo/)
    expect(lines.join('\n')).toMatch(/Float: \$10,000\.00 available/)
    expect(lines.at(-1)).toContain('the claim settled')
    const saved = readDemoFile(opts.dataDir)
    expect(saved?.name).toBe('demo')
    expect(statSync(join(opts.dataDir, 'demo.json')).mode & 0o777).toBe(0o600)

    const again = options(server.cashoutUrl, { dataDir: opts.dataDir })
    const second = await runDemo(again.opts)
    expect(second.outcome).toBe('claim.settled')
    expect(again.lines.join('\n')).toContain('Demo provider demo (from')
    const claims = await call(server.app, 'GET', '/cashout/claims', { key: saved?.api_key })
    expect(claims.body.claims.map((c: { status: string }) => c.status)).toEqual([
      'settled',
      'settled',
    ])
  })

  test('a saved key that no longer works means a new provider under the next free name', async ({
    db,
  }) => {
    const server = await demoServer(db)
    const { opts } = options(server.cashoutUrl)
    await runDemo(opts)
    const saved = readDemoFile(opts.dataDir)
    writeDemoFile(opts.dataDir, { ...(saved as NonNullable<typeof saved>), api_key: 'ck_nope' })
    const again = options(server.cashoutUrl, { dataDir: opts.dataDir })
    expect((await runDemo(again.opts)).outcome).toBe('claim.settled')
    expect(readDemoFile(opts.dataDir)?.name).toBe('demo-2')
  })

  test('a failing account ends the walk with the reason, signed like the rest', async ({ db }) => {
    const server = await demoServer(db)
    const { opts, lines } = options(server.cashoutUrl, { payid: 'fail@example.com' })
    const result = await runDemo(opts)
    expect(result.outcome).toBe('claim.reopened')
    expect(lines.join('\n')).toContain('ACCOUNT_INVALID')
    expect(result.webhooks.every((w) => w.verdict === 'ok')).toBe(true)
  })

  test('without --auto it waits for the customer, who cashes out on the page', async ({ db }) => {
    const server = await demoServer(db)
    const { opts, lines } = options(server.cashoutUrl, { auto: false })
    const running = runDemo(opts)
    const link = await new Promise<string>((resolve) => {
      const poll = setInterval(() => {
        const url = lines.find((l) => l.includes('/c/'))?.trim()
        if (url) {
          clearInterval(poll)
          resolve(url)
        }
      }, 20)
    })
    expect(lines.join('\n')).toContain('Open the link')
    await cashOutOnPage(link, 'jane@example.com')
    expect((await running).outcome).toBe('claim.settled')
  })

  test('funds its test float with its own test key: no operator token, and no live money', async ({
    db,
  }) => {
    const server = await demoServer(db)
    const { opts } = options(server.cashoutUrl)
    await runDemo(opts)
    const credits = await db
      .selectFrom('ledger_transfers')
      .select(['livemode', 'reference'])
      .where('kind', '=', 'credit')
      .execute()
    expect(credits).toEqual([{ livemode: false, reference: expect.stringMatching(/^demo-float-/) }])
  })

  test('says what to do when the server refuses a local receiver', async ({ db }) => {
    const server = await demoServer(db, { ALLOW_LOOPBACK_ENDPOINTS: 'false' })
    const { opts } = options(server.cashoutUrl)
    await expect(runDemo(opts)).rejects.toThrow(/ALLOW_LOOPBACK_ENDPOINTS=true/)
  })

  test('says how to start Cashout when nothing answers', async () => {
    const { opts } = options(`http://127.0.0.1:${await freePort()}`)
    const failure = runDemo(opts)
    await expect(failure).rejects.toBeInstanceOf(DemoError)
    await expect(failure).rejects.toThrow(/npm start/)
  })
})
