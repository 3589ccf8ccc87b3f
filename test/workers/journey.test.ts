import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { startWorkerDev, type WorkerDev } from '../../src/bench/wrangler.ts'
import { loadMigrationFiles } from '../../src/db/migration-files.ts'
import { migrate } from '../../src/db/migrator.ts'
import { createPostgresDb } from '../../src/db/postgres.ts'
import { createLogger } from '../../src/log/logger.ts'
import { Browserish, csrfOf, overHttp } from '../support/browserish.ts'
import { databaseUrl } from '../support/pg-admin.ts'
import { type Receiver, startReceiver, until } from '../support/receiver.ts'
import {
  freePort,
  type ServerProcess,
  spawnServer,
  stop,
  waitFor,
} from '../support/server-process.ts'

const OPERATOR = 'operator-token-for-the-workers-test-0123456789'
const SECRETS = {
  ENCRYPTION_KEYS: `w1:${'C'.repeat(43)}`,
  HMAC_KEY: 'D'.repeat(43),
  OPERATOR_TOKEN: OPERATOR,
}
const BANK = {
  type: 'bank',
  account_name: 'Jane Citizen',
  bsb: '062-000',
  account_number: '12345678',
}
const testDb = inject('testDb')

/**
 * The product in workerd, as `npm run worker:dev` runs it: `wrangler dev` with Hyperdrive on a
 * real Postgres, the standalone sandbox over HTTP, and a provider's endpoint on loopback. No
 * cron runs unless the test calls `/__scheduled`.
 */
describe.runIf(testDb.kind === 'postgres')('Cashout on Workers (wrangler dev, workerd)', () => {
  const name = `cashout_test_${process.pid}_workers`
  let admin: pg.Client
  let url = ''
  let sandbox: ServerProcess
  let receiver: Receiver
  let worker: WorkerDev
  let persist = ''

  beforeAll(async () => {
    if (testDb.kind !== 'postgres') return
    admin = new pg.Client({ connectionString: testDb.adminUrl })
    await admin.connect()
    await admin.query(`drop database if exists ${name} with (force)`)
    await admin.query(`create database ${name}`)
    url = databaseUrl(testDb.adminUrl, name)
    const db = createPostgresDb({
      url,
      poolMax: 1,
      logger: createLogger({ level: 'silent', write: () => {} }),
    })
    await migrate(db, await loadMigrationFiles())
    await db.destroy()

    const sandboxPort = String(await freePort())
    sandbox = spawnServer({ SANDBOX_PORT: sandboxPort, SANDBOX_TIME_SCALE: '0.001' }, 'bin/sandbox')
    await waitFor(sandbox, '/sandbox/state', 10_000, {
      'app-id': 'sandbox-app-id',
      'secret-key': 'sandbox-secret-key',
    })
    receiver = await startReceiver()
    const port = await freePort()
    persist = mkdtempSync(join(tmpdir(), 'cashout-wrangler-'))
    worker = await startWorkerDev({
      port,
      inspectorPort: await freePort(),
      databaseUrl: url,
      persistTo: persist,
      env: process.env,
      vars: {
        ...SECRETS,
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        RAIL: 'sandbox',
        REGISTRATION_OPEN: 'true',
        SANDBOX_URL: `${sandbox.url}/api`,
        ALLOW_LOOPBACK_ENDPOINTS: 'true',
        LOG_LEVEL: 'info',
      },
    })
    await register()
  }, 120_000)

  afterAll(async () => {
    await worker?.stop()
    if (sandbox) await stop(sandbox)
    await receiver?.close()
    if (persist) rmSync(persist, { recursive: true, force: true })
    if (admin) {
      await admin.query(`drop database if exists ${name} with (force)`)
      await admin.end()
    }
  })

  let key = ''
  let secret = ''

  const call = async (method: string, path: string, body?: unknown, token?: string) => {
    const res = await fetch(`${worker.url}${path}`, {
      method,
      headers: {
        'Content-Type': 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    return { status: res.status, body: (await res.json()) as Record<string, unknown> }
  }

  const generate = (amount: number, id: string) =>
    call('POST', '/cashout/generate/workers-provider', { amount, id }, key)

  /** A provider registered, funded and given a rule through the worker, as any would be. */
  async function register() {
    const reg = await call('POST', '/cashout/register', {
      name: 'workers-provider',
      pan: '4111111111111111',
      expDate: '3012',
      ipin: '7391',
      consent: true,
      endpoint: `${receiver.url}/hooks`,
    })
    expect(reg.status).toBe(200)
    key = String(reg.body.api_key)
    secret = String(reg.body.webhook_secret)
    const credit = { livemode: false, amount_minor: 50_000, reference: 'w1' }
    expect(
      (await call('POST', '/operator/providers/workers-provider/credit', credit, OPERATOR)).status,
    ).toBe(200)
    expect(
      (await call('PUT', '/cashout/rules', { rate: { points: 100, cash_minor: 100 } }, key)).status,
    ).toBe(200)
  }

  it('a claim paid from its page settles and is told by signed webhook, with no cron', async () => {
    const claim = await generate(2500, 'w-1')
    expect(claim.status).toBe(200)
    const uuid = String(claim.body.uuid)
    expect(String(claim.body.url)).toBe(`${worker.url}/c/${uuid}`)

    // The customer's page, in workerd: the offer, then the form posted and confirmed.
    const browser = new Browserish(overHttp(worker.url))
    const page = await browser.get(`/c/${uuid}`)
    expect(page.status).toBe(200)
    expect(page.html).toContain('$25.00')
    const submitted = Date.now()
    const done = await browser.post(`/c/${uuid}/confirm`, { csrf: csrfOf(page.html), ...BANK })
    expect(done.status).toBe(303)

    const settled = await until(
      // This claim's, not another test's: tests run in any order on one receiver.
      () =>
        receiver.received.filter(
          (r) => r.body.includes(uuid) && r.body.includes('"claim.settled"'),
        ),
      (found) => found.length > 0,
      10_000,
    )
    const delivery = settled[0]
    if (!delivery) throw new Error('unreachable')
    expect(delivery.at - submitted).toBeLessThan(10_000)
    const verified = new Webhook(secret).verify(delivery.body, {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    }) as Record<string, unknown>
    expect(verified).toMatchObject({ event: 'claim.settled', uuid, status: 'settled' })
    const status = await call('GET', `/cashout/claims/${uuid}`, undefined, key)
    expect(status.body.status).toBe('settled')
    // The status page for the browser that cashed out.
    expect((await browser.get(`/c/${uuid}`)).html).toContain('Paid')
    expect(worker.output()).not.toContain('Stream was cancelled')
    expect(worker.output()).not.toContain('4111111111111111')
  }, 60_000)

  it('a claim submitted by API settles the same way, and a cancel is told at once', async () => {
    const claim = await generate(1200, 'w-2')
    const uuid = String(claim.body.uuid)
    const submit = await call(
      'POST',
      `/cashout/claims/${uuid}/submit`,
      { type: 'payid', payid_type: 'email', payid: 'jane@example.com' },
      key,
    )
    expect(submit.status).toBe(200)
    await until(
      () =>
        receiver.received.some((r) => r.body.includes(uuid) && r.body.includes('"claim.settled"')),
      (found) => found,
      10_000,
    )
    const other = await generate(100, 'w-3')
    const cancelled = await call(
      'POST',
      `/cashout/claims/${other.body.uuid}/cancel`,
      undefined,
      key,
    )
    expect(cancelled.status).toBe(200)
    await until(
      () =>
        receiver.received.some(
          (r) => r.body.includes(String(other.body.uuid)) && r.body.includes('"claim.cancelled"'),
        ),
      (found) => found,
      10_000,
    )
  }, 60_000)

  it('the cron recovers a delivery whose worker died holding its lease', async () => {
    // The endpoint fails once: the delivery waits for its retry.
    receiver.respond = () => 500
    const claim = await generate(100, 'w-4')
    const uuid = String(claim.body.uuid)
    await call('POST', `/cashout/claims/${uuid}/cancel`, undefined, key)
    await until(
      () => receiver.received.filter((r) => r.body.includes(uuid)).length,
      (n) => n === 1,
      10_000,
    )
    // A worker leased it when it came due and died: its lease ran out, nobody sent it.
    receiver.respond = () => 200
    const db = new pg.Client({ connectionString: url })
    await db.connect()
    try {
      const leased = await until(
        async () =>
          (
            await db.query(
              `update webhook_deliveries set lease_owner = 'worker:gone',
                 lease_expires_at = now() - interval '1 second', next_attempt_at = now() - interval '1 minute'
               where claim_id = $1 and status = 'pending' and lease_owner is null returning id`,
              [uuid],
            )
          ).rowCount,
        (n) => n === 1,
        10_000,
      )
      expect(leased).toBe(1)
      await new Promise((resolve) => setTimeout(resolve, 500))
      expect(receiver.received.filter((r) => r.body.includes(uuid))).toHaveLength(1)

      const cron = await fetch(`${worker.url}/__scheduled?cron=*+*+*+*+*`)
      expect(cron.status).toBe(200)
      await until(
        () => receiver.received.filter((r) => r.body.includes(uuid)).length,
        (n) => n === 2,
        10_000,
      )
      const row = await db.query(
        'select status, lease_owner, attempts from webhook_deliveries where claim_id = $1',
        [uuid],
      )
      expect(row.rows[0]).toMatchObject({ status: 'delivered', lease_owner: null, attempts: 2 })
    } finally {
      await db.end()
    }
  }, 60_000)
})
