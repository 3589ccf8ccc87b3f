import { existsSync, mkdtempSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { afterEach, describe, expect, inject, it } from 'vitest'
import { databaseUrl } from './support/pg-admin.ts'
import {
  freePort,
  type ServerProcess,
  SPAWNED_TEST_MS,
  START_MS,
  spawnServer,
  stop,
  waitFor,
} from './support/server-process.ts'

const running: ServerProcess[] = []

afterEach(() => {
  for (const server of running.splice(0)) server.child.kill('SIGKILL')
})

async function start(env: Record<string, string>) {
  const port = String(await freePort())
  const server = spawnServer({ PORT: port, LOG_LEVEL: 'info', ...env })
  running.push(server)
  return server
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const tempDataDir = () => join(mkdtempSync(join(tmpdir(), 'cashout-node-')), 'data')

describe('the Node entry on embedded PGlite', { timeout: SPAWNED_TEST_MS }, () => {
  it('answers /healthz on a fresh data dir and exits 0 on SIGTERM', async () => {
    const dataDir = tempDataDir()
    const server = await start({ DATA_DIR: dataDir })
    await waitFor(server, '/healthz', START_MS)
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200)
    expect(existsSync(join(dataDir, 'cashout.lock'))).toBe(true)

    const stopped = await stop(server)
    expect(stopped.code).toBe(0)
    expect(stopped.ms).toBeLessThan(5000)
    expect(existsSync(join(dataDir, 'cashout.lock'))).toBe(false)
    const lines = server
      .stdout()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
    expect(lines.map((l) => l.msg)).toEqual(
      expect.arrayContaining([expect.stringContaining('Cashout is ready at'), 'stopped']),
    )
  })

  it('exits 0 on SIGINT too', async () => {
    const server = await start({ DATA_DIR: tempDataDir() })
    await waitFor(server, '/healthz', START_MS)
    const stopped = await stop(server, 'SIGINT')
    expect(stopped.code).toBe(0)
  })

  it('finishes a request in flight when told to stop, and takes no new ones', async () => {
    const server = await start({ DATA_DIR: tempDataDir() })
    await waitFor(server, '/healthz', START_MS)

    const req = request(`${server.url}/no-such-route`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
    })
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = ''
        res.on('data', (c) => {
          body += c
        })
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      })
      req.on('error', reject)
    })
    req.write('{"half":')
    await sleep(100)
    server.child.kill('SIGTERM')
    await sleep(400)
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
    req.end('"done"}')

    const { status, body } = await response
    expect(status).toBe(404)
    expect(JSON.parse(body).code).toBe('not_found')
    const exit = await server.exited
    expect(exit.code).toBe(0)
  })

  it('refuses a second process on the same data dir and leaves the first serving', async () => {
    const dataDir = tempDataDir()
    const first = await start({ DATA_DIR: dataDir })
    await waitFor(first, '/healthz', START_MS)

    const second = await start({ DATA_DIR: dataDir })
    const exit = await second.exited
    expect(exit.code).toBe(1)
    expect(second.output()).toContain('is in use by another Cashout process')
    expect(second.output()).toContain(`pid ${first.child.pid}`)

    expect((await fetch(`${first.url}/readyz`)).status).toBe(200)
    expect((await stop(first)).code).toBe(0)
  })

  it('stops at startup with one message naming every bad variable', async () => {
    const server = spawnServer({ PORT: 'eighty', LOG_LEVEL: 'loud', DATA_DIR: tempDataDir() })
    running.push(server)
    const exit = await server.exited
    expect(exit.code).toBe(1)
    const output = server.output()
    expect(output).toContain('Invalid configuration')
    expect(output).toContain('PORT:')
    expect(output).toContain('LOG_LEVEL:')
    expect(output).not.toMatch(/\bat .+:\d+:\d+/)
  })

  it('will not move money by accident: a shared database must name its rail, a live rail must be reachable', async () => {
    const shared = spawnServer({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none',
      ENCRYPTION_KEYS: `k1:${'A'.repeat(43)}`,
      HMAC_KEY: 'B'.repeat(43),
      DATA_DIR: tempDataDir(),
    })
    const live = spawnServer({
      RAIL: 'hello-clever',
      PUBLIC_URL: 'http://cashout.example.com',
      DATA_DIR: tempDataDir(),
    })
    running.push(shared, live)
    expect((await shared.exited).code).toBe(1)
    expect(shared.output()).toContain('RAIL: required with DATABASE_URL')
    expect((await live.exited).code).toBe(1)
    expect(live.output()).toContain(
      'HELLO_CLEVER_APP_ID and HELLO_CLEVER_SECRET_KEY: required when RAIL is hello-clever',
    )
    expect(live.output()).toContain('PUBLIC_URL: must be https when RAIL is hello-clever')
  })
})

const testDb = inject('testDb')
if (testDb.kind === 'postgres') {
  describe('the Node entry on Postgres', () => {
    it('migrates an empty database and serves', async () => {
      const name = `cashout_test_${process.pid}_entry`
      const admin = new pg.Client({ connectionString: testDb.adminUrl })
      await admin.connect()
      try {
        await admin.query(`drop database if exists ${name} with (force)`)
        await admin.query(`create database ${name}`)
        const server = await start({
          DATABASE_URL: databaseUrl(testDb.adminUrl, name),
          ENCRYPTION_KEYS: `k1:${'A'.repeat(43)}`,
          HMAC_KEY: 'B'.repeat(43),
          RAIL: 'sandbox',
          REGISTRATION_OPEN: 'true',
        })
        await waitFor(server, '/readyz', START_MS)
        const probe = new pg.Client({ connectionString: databaseUrl(testDb.adminUrl, name) })
        await probe.connect()
        const tables = await probe.query(`select to_regclass('schema_migrations') as t`)
        await probe.end()
        expect(tables.rows[0].t).toBe('schema_migrations')
        expect((await stop(server)).code).toBe(0)
      } finally {
        await admin.query(`drop database if exists ${name} with (force)`)
        await admin.end()
      }
    })
  })
}
