import v8 from 'node:v8'
import vm from 'node:vm'
import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { fundedProvider } from '../support/client.ts'
import { test } from '../support/fixtures.ts'
import { insertClaimRows, providerIdOf } from './claims-fixtures.ts'

/**
 * Memory the process holds after a full collection (so garbage not yet collected does not
 * count): the JavaScript heap plus array buffers, where encoded chunks live.
 */
function heapAfterGc(): number {
  v8.setFlagsFromString('--expose-gc')
  ;(vm.runInNewContext('gc') as () => void)()
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  return heapUsed + arrayBuffers
}

/**
 * Exports `rows` fixture claims through the API and reads the stream as a slow client would,
 * measuring live memory (after a full collection) every few chunks. A writer that gathered
 * the rows or the text before sending would hold at least the whole file; the bound is set
 * well below the file's size, and far above one page.
 */
async function heapWhileExporting(
  { app, deps }: { app: App; deps: { db: Parameters<typeof insertClaimRows>[0] } },
  rows: number,
) {
  const p = await fundedProvider(app)
  await insertClaimRows(deps.db, {
    providerId: await providerIdOf(deps.db, p.name),
    count: rows,
    newest: new Date('2026-02-28T00:00:00Z'),
  })
  const baseline = heapAfterGc()
  const res = await app.request('/cashout/claims.csv', {
    headers: { Authorization: `Bearer ${p.key}` },
  })
  expect(res.status).toBe(200)
  const reader = (res.body as ReadableStream<Uint8Array>).getReader()
  let peak = heapAfterGc() - baseline
  let bytes = 0
  let lines = 0
  let chunks = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    bytes += value.byteLength
    for (const byte of value) if (byte === 10) lines++
    chunks++
    if (chunks % 5 === 0) peak = Math.max(peak, heapAfterGc() - baseline)
  }
  expect(lines).toBe(rows + 1)
  return { bytes, peak }
}

const MB = 1024 * 1024

describe('claims CSV memory', () => {
  // Gathering the rows before writing measured 31 MB here; streaming, about 1 MB.
  test('20,000 rows stream with memory growing by less than 4 MB', { timeout: 90_000 }, async ({
    harness,
  }) => {
    const { bytes, peak } = await heapWhileExporting(harness, 20_000)
    expect(bytes).toBeGreaterThan(3 * MB)
    expect(peak).toBeLessThan(4 * MB)
  })
})

// 100,000 rows take over 30 s to write and read on PGlite, so this one runs on Postgres only.
describe.runIf(process.env.TEST_DATABASE_URL)('claims CSV memory at scale', () => {
  test('100,000 rows stream with memory growing by less than 8 MB', { timeout: 180_000 }, async ({
    harness,
  }) => {
    const { bytes, peak } = await heapWhileExporting(harness, 100_000)
    expect(bytes).toBeGreaterThan(16 * MB)
    expect(peak).toBeLessThan(8 * MB)
  })
})
