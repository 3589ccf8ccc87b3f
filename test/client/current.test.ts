import { readFileSync } from 'node:fs'
import { expect, test } from 'vitest'
import { CLIENT_SCHEMA_PATH, generateClientTypes } from '../../src/codegen/client-types.ts'

test('the typed client is generated from the current API document', async () => {
  const committed = readFileSync(new URL(`../../${CLIENT_SCHEMA_PATH}`, import.meta.url), 'utf8')
  const fresh = await generateClientTypes()
  // A diff of two 140 kB strings helps nobody; the sentence says what to do.
  expect(
    committed === fresh,
    `${CLIENT_SCHEMA_PATH} is stale: the API document changed since it was generated. Run \`npm run client:generate\` and commit it.`,
  ).toBe(true)
  expect(fresh).toContain('export interface paths')
}, 60_000)
