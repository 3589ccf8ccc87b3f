import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect } from 'vitest'
import { test } from '../support/fixtures.ts'

const run = promisify(execFile)

interface LintReport {
  totals: { errors: number; warnings: number }
  problems: { ruleId: string; message: string; location: { pointer: string }[] }[]
}

/** Redocly's recommended rules over the very document `/openapi.json` serves (see redocly.yaml). */
describe('the OpenAPI document under redocly lint', { timeout: 60_000 }, () => {
  test('has no error and no warning', async ({ harness }) => {
    const doc = await (await harness.app.request('/openapi.json')).json()
    const dir = await mkdtemp(join(tmpdir(), 'cashout-lint-'))
    try {
      const file = join(dir, 'openapi.json')
      await writeFile(file, JSON.stringify(doc))
      const bin = join(process.cwd(), 'node_modules', '.bin', 'redocly')
      // It exits 1 when it finds errors; the report on stdout says which either way.
      const output = await run(bin, ['lint', file, '--config', 'redocly.yaml', '--format=json'], {
        env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      }).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }))
      const report = JSON.parse(output.stdout) as LintReport
      const problems = report.problems.map(
        (p) => `${p.ruleId} at ${p.location[0]?.pointer}: ${p.message}`,
      )
      expect(problems).toEqual([])
      expect(report.totals).toMatchObject({ errors: 0, warnings: 0 })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
