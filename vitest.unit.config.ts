import { defineConfig } from 'vitest/config'

/**
 * The pure modules' own tests, with no database and no global setup: what mutation testing runs
 * for every mutant, so it has to start in well under a second.
 */
export const unitTests = [
  'src/money.test.ts',
  'src/log/*.test.ts',
  'src/net/*.test.ts',
  'src/rules/*.test.ts',
  'src/payouts/*.test.ts',
  'src/webhooks/*.test.ts',
  'src/providers/card.test.ts',
  'src/providers/names.test.ts',
  'src/http/form.test.ts',
  'src/http/utf8.test.ts',
  'src/http/json-keys.test.ts',
  'src/errors/plain-messages.test.ts',
]

export default defineConfig({
  test: {
    include: unitTests,
    pool: 'threads',
    sequence: { shuffle: true },
  },
})
