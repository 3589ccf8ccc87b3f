import { describe, expect } from 'vitest'
import { textOf } from '../support/browserish.ts'
import { ownerOf } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

describe('console smoke', () => {
  test('the setup link makes a signed-in owner who sees the overview', async ({ harness }) => {
    const { browser, email } = await ownerOf(harness.app)
    const page = await browser.open('/console')
    expect(page.status).toBe(200)
    const text = textOf(page.html)
    expect(text).toContain('Overview')
    expect(text).toContain(`${email} (owner)`)
    expect(text).toContain('Float available')
  })
})
