import { describe, expect, it } from 'vitest'
import type { LoadResult } from './load.ts'
import { type BenchResults, formatReport, targets } from './report.ts'

const load = (rps: number, p99 = 10): LoadResult => ({
  requests: rps * 10,
  rps,
  p50: 1,
  p99,
  errors: 0,
  non2xx: 0,
})

function results(
  overrides: Partial<BenchResults['load']> = {},
  batchRequests = 12,
  embedded: Partial<BenchResults['embedded']> = {},
): BenchResults {
  return {
    when: '2026-11-21T00:00:00.000Z',
    machine: { cpus: 2, node: '20.20.2', postgres: 'PostgreSQL 15' },
    connections: 50,
    seconds: 10,
    load: {
      baselineA: load(40_000),
      baselineB: load(5_000),
      generate: load(4_000, 100),
      page: load(4_000),
      ...overrides,
    },
    endToEnd: {
      claims: 1000,
      seconds: 2,
      claimsPerSecond: 500,
      badSignatures: 0,
      railRequests: 1000,
    },
    endToEndBatches: {
      claims: 1000,
      seconds: 2,
      claimsPerSecond: 500,
      badSignatures: 0,
      railRequests: batchRequests,
    },
    peakRssMb: 250,
    startMs: 1500,
    embedded: {
      generate: load(100, 1000),
      page: load(400),
      readyMs: 3000,
      peakRssMb: 250,
      ...embedded,
    },
  }
}

describe('the benchmark report', () => {
  it('meets every target exactly at its threshold', () => {
    expect(targets(results()).map((t) => [t.name, t.met])).toEqual([
      ['generate / baseline B', true],
      ['claim page / baseline B', true],
      ['generate p99 at 50 connections', true],
      ['end to end (submit → signed claim.settled)', true],
      ['payouts_v1 rail requests', true],
      ['peak RSS', true],
      ['embedded PGlite: peak RSS', true],
      ['embedded PGlite: generate p99 at 50 connections', true],
      ['start to /readyz', true],
    ])
  })

  it('marks what falls short, with the measured value', () => {
    const missed = targets(results({ generate: load(1_000, 150), page: load(1_000) }))
    expect(missed.filter((t) => !t.met).map((t) => [t.name, t.measured])).toEqual([
      ['generate / baseline B', '0.20'],
      ['claim page / baseline B', '0.20'],
      ['generate p99 at 50 connections', '150 ms'],
    ])
    const embedded = targets(results({}, 12, { generate: load(65, 5300), peakRssMb: 251 }))
    expect(embedded.filter((t) => !t.met).map((t) => [t.name, t.measured, t.goal])).toEqual([
      ['embedded PGlite: peak RSS', '251 MB', '≤ 250 MB'],
      ['embedded PGlite: generate p99 at 50 connections', '5300 ms', '≤ 1000 ms'],
    ])
    expect(targets(results({}, 1000)).find((t) => !t.met)).toEqual({
      name: 'payouts_v1 rail requests',
      measured: '1000 for 1000 claims',
      goal: '< one per claim',
      met: false,
    })
    const text = formatReport(results({ generate: load(1_000, 150) }))
    expect(text).toContain('End to end (payouts_v1): 1000 claims submitted')
    expect(text).toContain('(500 claims/s, 12 rail requests)')
    expect(text).toMatch(/\| POST \/cashout\/generate\/:name\s+\|\s+1000 \|/)
    expect(text).toMatch(
      /\| embedded PGlite: POST \/cashout\/generate\/:name \|\s+100 \|\s+1 \|\s+1000 \|/,
    )
    expect(text).toMatch(/\| embedded PGlite: GET \/c\/:uuid\s+\|\s+400 \|/)
    expect(text).toContain('Embedded PGlite: ready in 3000 ms from an empty data dir')
    expect(text).toMatch(/generate \/ baseline B\s+\|\s+0\.20 \|\s+≥ 0\.80 \| MISSED \|/)
  })
})
