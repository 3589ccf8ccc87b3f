import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect } from 'vitest'
import { readDemoFile } from '../../src/demo/demo-file.ts'
import { ensureDemoProvider } from '../../src/demo/provider.ts'
import { buildTestApp } from '../support/app.ts'
import { call } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

const tempDir = () => join(mkdtempSync(join(tmpdir(), 'cashout-demo-')), 'data')

describe('the demo provider npm start readies', () => {
  test('is registered once, funded, and reused while its key works', async ({ db }) => {
    const harness = buildTestApp(db, { env: { ALLOW_LOOPBACK_ENDPOINTS: 'true' } })
    const dataDir = tempDir()
    const first = await ensureDemoProvider({ deps: harness.deps, dataDir })
    expect(first).toMatchObject({ name: 'demo', created: true, availableMinor: 1_000_000n })
    expect(readDemoFile(dataDir)?.api_key).toBe(first.api_key)
    const balance = await call(harness.app, 'GET', '/cashout/balance', { key: first.api_key })
    expect(balance.body.available_minor).toBe(1_000_000)
    const second = await ensureDemoProvider({ deps: harness.deps, dataDir })
    expect(second).toMatchObject({ name: 'demo', created: false, api_key: first.api_key })
  })

  test('is topped up when its float runs low, and only then', async ({ db }) => {
    const harness = buildTestApp(db, { env: { ALLOW_LOOPBACK_ENDPOINTS: 'true' } })
    const dataDir = tempDir()
    const demo = await ensureDemoProvider({ deps: harness.deps, dataDir })
    const claim = await call(harness.app, 'POST', `/cashout/generate/${demo.name}`, {
      key: demo.api_key,
      body: { amount: 950_000, id: 'big' },
    })
    expect(claim.status).toBe(200)
    const topped = await ensureDemoProvider({ deps: harness.deps, dataDir })
    expect(topped.availableMinor).toBe(1_000_000n)
    const credits = await call(harness.app, 'GET', '/cashout/balance', { key: demo.api_key })
    expect(credits.body).toMatchObject({ credited_minor: 1_950_000, reserved_minor: 950_000 })
    expect((await ensureDemoProvider({ deps: harness.deps, dataDir })).availableMinor).toBe(
      1_000_000n,
    )
  })

  test('is registered anew under the next free name when its key was revoked', async ({ db }) => {
    const harness = buildTestApp(db, { env: { ALLOW_LOOPBACK_ENDPOINTS: 'true' } })
    const dataDir = tempDir()
    const demo = await ensureDemoProvider({ deps: harness.deps, dataDir })
    const keys = await call(harness.app, 'GET', '/cashout/keys', { key: demo.api_key })
    const another = await call(harness.app, 'POST', '/cashout/keys', {
      key: demo.api_key,
      body: { label: 'spare' },
    })
    expect(another.status).toBe(201)
    const revoked = await call(harness.app, 'DELETE', `/cashout/keys/${keys.body.keys[0].id}`, {
      key: another.body.key,
    })
    expect(revoked.status).toBe(200)
    const fresh = await ensureDemoProvider({ deps: harness.deps, dataDir })
    expect(fresh).toMatchObject({ name: 'demo-2', created: true })
    expect(readDemoFile(dataDir)?.name).toBe('demo-2')
  })
})
