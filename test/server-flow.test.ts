import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { databaseUrl } from './support/pg-admin.ts'
import { startReceiver } from './support/receiver.ts'
import {
  freePort,
  type ServerProcess,
  SPAWNED_TEST_MS,
  START_MS,
  spawnServer,
  stop,
  waitFor,
} from './support/server-process.ts'

const PAN = '4111111111111111'
const IPIN = '7391'
const OPERATOR = 'operator-token-for-the-flow-test-0123456789'
const running: ServerProcess[] = []

afterEach(() => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL')
})

async function start(env: Record<string, string>) {
  const server = spawnServer({
    PORT: env.PORT ?? String(await freePort()),
    OPERATOR_TOKEN: OPERATOR,
    ...env,
  })
  running.push(server)
  await waitFor(server, '/readyz', START_MS)
  return server
}

async function post(server: ServerProcess, path: string, body: unknown, token?: string) {
  const res = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: await res.json(), text: '' }
}

async function get(server: ServerProcess, path: string, token: string) {
  const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } })
  return { status: res.status, body: await res.json() }
}

async function waitForStatus(server: ServerProcess, key: string, uuid: string, status: string) {
  const started = Date.now()
  for (;;) {
    const claim = await get(server, `/cashout/claims/${uuid}`, key)
    if (claim.body.status === status) return claim.body
    if (Date.now() - started > 15_000) throw new Error(`claim stayed ${claim.body.status}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Register, fund, generate; returns what a provider would keep. */
async function cashoutFlow(server: ServerProcess) {
  const reg = await post(server, '/cashout/register', {
    name: 'flow-provider',
    pan: PAN,
    expDate: '3012',
    ipin: IPIN,
    consent: true,
    endpoint: 'http://127.0.0.1:9/hook',
  })
  expect(reg.status).toBe(200)
  const key = reg.body.api_key as string
  const funded = await post(
    server,
    '/operator/providers/flow-provider/credit',
    { livemode: false, amount_minor: 5000, reference: 'w1' },
    OPERATOR,
  )
  expect(funded.status).toBe(200)
  const claim = await post(
    server,
    '/cashout/generate/flow-provider',
    { amount: 1200, id: 'o-1' },
    key,
  )
  expect(claim.status).toBe(200)
  expect(claim.body.url).toBe(
    `${server.url.replace('127.0.0.1', 'localhost')}/c/${claim.body.uuid}`,
  )
  const responses = JSON.stringify([reg.body, funded.body, claim.body])
  expect(responses).not.toContain(PAN)
  expect(responses).not.toContain(IPIN)
  return { key, uuid: claim.body.uuid as string }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

describe('a cashout on a running embedded server', { timeout: SPAWNED_TEST_MS }, () => {
  it('survives a restart, and leaves no card number in the data files or logs', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'cashout-flow-')), 'data')
    const PORT = String(await freePort())
    const first = await start({ DATA_DIR: dataDir, PORT })
    const { key, uuid } = await cashoutFlow(first)
    expect((await stop(first)).code).toBe(0)

    const keyFile = statSync(join(dataDir, 'keys.json'))
    expect(keyFile.mode & 0o777).toBe(0o600)

    const second = await start({ DATA_DIR: dataDir, PORT })
    const claim = await get(second, `/cashout/claims/${uuid}`, key)
    expect(claim.status).toBe(200)
    expect(claim.body).toMatchObject({ uuid, id: 'o-1', status: 'open' })
    const balance = await get(second, '/cashout/balance', key)
    expect(balance.body).toMatchObject({ available_minor: 3800, reserved_minor: 1200 })
    expect((await stop(second)).code).toBe(0)

    const third = await start({ DATA_DIR: dataDir, PORT })
    const submitted = await post(
      third,
      `/cashout/claims/${uuid}/submit`,
      { type: 'bank', account_name: 'Jane Citizen', bsb: '062-000', account_number: '12345678' },
      key,
    )
    expect(submitted.status).toBe(200)
    await waitForStatus(third, key, uuid, 'processing')
    expect((await stop(third)).code).toBe(0)

    const fourth = await start({ DATA_DIR: dataDir, PORT })
    const settled = await waitForStatus(fourth, key, uuid, 'settled')
    expect(settled.payout).toMatchObject({
      status: 'settled',
      destination: { account_number: '••••5678' },
    })
    expect((await get(fourth, '/cashout/balance', key)).body).toMatchObject({
      available_minor: 3800,
      reserved_minor: 0,
      paid_out_minor: 1200,
    })
    expect((await stop(fourth)).code).toBe(0)

    const files = filesUnder(dataDir)
    expect(files.length).toBeGreaterThan(100)
    for (const file of files) {
      expect(readFileSync(file).includes(PAN), file).toBe(false)
    }
    for (const server of [first, second, third, fourth]) {
      expect(server.output()).not.toContain(PAN)
      expect(server.output()).not.toMatch(new RegExp(`"${IPIN}"`))
    }
  })
})

describe('webhooks from a running server', { timeout: SPAWNED_TEST_MS }, () => {
  it('a full cashout sends submitted and settled, verifiable, and an outage loses nothing', async () => {
    const receiver = await startReceiver()
    const port = Number(new URL(receiver.url).port)
    const server = await start({
      DATA_DIR: join(mkdtempSync(join(tmpdir(), 'cashout-hooks-')), 'data'),
      SANDBOX_TIME_SCALE: '0.01',
    })
    const reg = await post(server, '/cashout/register', {
      name: 'hook-provider',
      pan: PAN,
      expDate: '3012',
      ipin: IPIN,
      consent: true,
      endpoint: `${receiver.url}/hook`,
    })
    const key = reg.body.api_key as string
    await post(
      server,
      '/operator/providers/hook-provider/credit',
      { livemode: false, amount_minor: 5000, reference: 'w1' },
      OPERATOR,
    )
    const claim = await post(
      server,
      '/cashout/generate/hook-provider',
      { amount: 700, id: 'h-1' },
      key,
    )
    await post(
      server,
      `/cashout/claims/${claim.body.uuid}/submit`,
      { type: 'payid', payid_type: 'email', payid: 'jane@example.com' },
      key,
    )
    await waitForStatus(server, key, claim.body.uuid, 'settled')
    const verifier = new Webhook(reg.body.webhook_secret)
    const started = Date.now()
    while (receiver.received.length < 2 && Date.now() - started < 10_000)
      await new Promise((r) => setTimeout(r, 50))
    const events = receiver.received.map(
      (r) =>
        (
          verifier.verify(
            r.body,
            Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, String(v)])),
          ) as { event: string }
        ).event,
    )
    expect(events.sort()).toEqual(['claim.settled', 'claim.submitted'])

    await receiver.close()
    const second = await post(
      server,
      '/cashout/generate/hook-provider',
      { amount: 300, id: 'h-2' },
      key,
    )
    await post(server, `/cashout/claims/${second.body.uuid}/cancel`, {}, key)
    await new Promise((r) => setTimeout(r, 500))
    const down = await get(server, '/cashout/webhooks', key)
    expect(down.body.pending).toBe(1)
    const back = await startReceiver(port)
    const seen = Date.now()
    while (back.received.length < 1 && Date.now() - seen < 15_000)
      await new Promise((r) => setTimeout(r, 100))
    expect(
      (
        verifier.verify(
          back.received[0]?.body ?? '',
          Object.fromEntries(
            Object.entries(back.received[0]?.headers ?? {}).map(([k, v]) => [k, String(v)]),
          ),
        ) as { event: string }
      ).event,
    ).toBe('claim.cancelled')
    await back.close()
    expect((await stop(server)).code).toBe(0)
  })
})

describe('Cashout with the standalone sandbox', { timeout: SPAWNED_TEST_MS }, () => {
  it('pays out through `npm run sandbox` on its own port, which counts one payout', async () => {
    const sandboxPort = String(await freePort())
    const sandbox = spawnServer(
      { SANDBOX_PORT: sandboxPort, SANDBOX_TIME_SCALE: '0.01' },
      'bin/sandbox',
    )
    running.push(sandbox)
    const headers = { 'app-id': 'sandbox-app-id', 'secret-key': 'sandbox-secret-key' }
    await waitFor(sandbox, '/sandbox/state', 10_000, headers)
    const server = await start({
      DATA_DIR: join(mkdtempSync(join(tmpdir(), 'cashout-flow-')), 'data'),
      SANDBOX_URL: `${sandbox.url}/api`,
    })
    const { key, uuid } = await cashoutFlow(server)
    await post(
      server,
      `/cashout/claims/${uuid}/submit`,
      { type: 'payid', payid_type: 'mobile', payid: '0412 345 678' },
      key,
    )
    const settled = await waitForStatus(server, key, uuid, 'settled')
    expect(settled.payout.destination).toEqual({
      type: 'payid',
      payid_type: 'mobile',
      payid: '+61-4••••5678',
    })
    const list = await (await fetch(`${sandbox.url}/sandbox/withdrawals`, { headers })).json()
    expect(list.withdrawals).toEqual([
      expect.objectContaining({ status: 'settled', amount_minor: 1200, requests: 1 }),
    ])
    expect((await stop(server)).code).toBe(0)
    expect((await stop(sandbox)).code).toBe(0)
  })
})

const testDb = inject('testDb')
if (testDb.kind === 'postgres') {
  describe('a cashout on a running Postgres-backed server', () => {
    it('works the same, and stores no card number in any column', async () => {
      const name = `cashout_test_${process.pid}_flow`
      const admin = new pg.Client({ connectionString: testDb.adminUrl })
      await admin.connect()
      try {
        await admin.query(`drop database if exists ${name} with (force)`)
        await admin.query(`create database ${name}`)
        const url = databaseUrl(testDb.adminUrl, name)
        const server = await start({
          DATABASE_URL: url,
          ENCRYPTION_KEYS: `k1:${'A'.repeat(43)}`,
          HMAC_KEY: 'B'.repeat(43),
          RAIL: 'sandbox',
          REGISTRATION_OPEN: 'true',
          ALLOW_LOOPBACK_ENDPOINTS: 'true',
        })
        await cashoutFlow(server)
        expect((await stop(server)).code).toBe(0)
        expect(server.output()).not.toContain(PAN)

        const probe = new pg.Client({ connectionString: url })
        await probe.connect()
        const dump = await probe.query(`select
          (select json_agg(p) from providers p)::text as providers,
          (select json_agg(e) from events e)::text as events,
          (select json_agg(c) from claims c)::text as claims`)
        await probe.end()
        expect(JSON.stringify(dump.rows)).not.toContain(PAN)
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`)
        await admin.end()
      }
    })
  })
}
