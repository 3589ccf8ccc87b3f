import { describe, expect } from 'vitest'
import type { App } from '../../src/app.ts'
import { OPERATOR } from '../../src/audit/record.ts'
import { issueLink } from '../../src/console/links.ts'
import type { Db } from '../../src/db/schema.ts'
import { displayMoney } from '../../src/page/format.ts'
import { buildTestApp, LIVE_ENV } from '../support/app.ts'
import { textOf } from '../support/browserish.ts'
import { call, liveOf, registerProvider, type TestProvider } from '../support/client.ts'
import { type ConsoleBrowser, join, ownerOf, uniqueEmail } from '../support/console.ts'
import { test } from '../support/fixtures.ts'

/** The form as a store owner fills it, in dollars and percent. */
const FORM = {
  points: '100',
  cash: '1.50',
  fee_fixed: '0.25',
  fee_percent: '1.5',
  fee_payer: 'customer',
  min_points: '100',
  max_points: '1,000,000',
  step_points: '10',
  cap_daily: '50',
  cap_30d: '',
  lifetime: '2',
  lifetime_unit: 'days',
}

const FIELDS = Object.keys(FORM)
/** The same rule in the API's units. */
const API_RULE = {
  rate: { points: 100, cash_minor: 150 },
  min_points: 100,
  max_points: 1_000_000,
  step_points: 10,
  fee: { fixed_minor: 25, bps: 150, payer: 'customer' },
  caps: { daily_minor: 5000, thirty_day_minor: null },
  claim_lifetime_seconds: 2 * 86_400,
}

/** The value attribute of the form control named `name`. */
function controlValue(html: string, name: string): string | undefined {
  const tag = new RegExp(`<input[^>]*name="${name}"[^>]*>`).exec(html)?.[0]
  if (tag) return /value="([^"]*)"/.exec(tag)?.[1] ?? ''
  const select = new RegExp(`<select[^>]*name="${name}"[^>]*>[\\s\\S]*?</select>`).exec(html)?.[0]
  return select ? /<option[^>]*value="([^"]*)"[^>]*selected/.exec(select)?.[1] : undefined
}

/** The message shown beside a field, if any. */
function errorBeside(html: string, name: string): string | undefined {
  const match = new RegExp(`id="f-${name}-error"[^>]*>([\\s\\S]*?)</p>`).exec(html)
  return match ? textOf(match[1] ?? '').replace(/^Error: /, '') : undefined
}

const receives = (html: string) => /Customer receives (\$[\d,]+\.\d\d)/.exec(textOf(html))?.[1]

async function versions(app: App, provider: TestProvider) {
  const reply = await call(app, 'GET', '/cashout/rules/versions', { key: provider.key })
  return reply.body.rules as { version: number; created_by: string | null }[]
}

const quote = (app: App, key: string, points: number) =>
  call(app, 'POST', '/cashout/quote', { key, body: { points } })

/** What the script's preview request answers for a form and a number of points. */
async function previewHtml(browser: ConsoleBrowser, form: Record<string, string>, points: string) {
  const params = new URLSearchParams({ ...form, try_points: points })
  return browser.open(`/console/rules/preview?${params}`)
}

async function save(browser: ConsoleBrowser, fields: Record<string, string>) {
  await browser.open('/console/rules')
  return browser.submit('/console/rules', { ...fields, intent: 'save' })
}

async function providerId(db: Db, name: string) {
  return (await db.selectFrom('providers').select('id').where('name', '=', name).execute())[0]?.id
}

const ruleAudits = (db: Db) =>
  db.selectFrom('audit_log').selectAll().where('action', '=', 'rule.updated').execute()

describe('console rules', () => {
  test('the form shows the current rule, in dollars and percent', async ({ harness }) => {
    const { app } = harness
    const { browser, provider } = await ownerOf(app)
    await call(app, 'PUT', '/cashout/rules', { key: provider.key, body: API_RULE })
    const page = await browser.open('/console/rules')
    expect(page.status).toBe(200)
    const form = Object.fromEntries(FIELDS.map((name) => [name, controlValue(page.html, name)]))
    expect(form).toEqual({ ...FORM, max_points: '1000000', cap_daily: '50.00' })
    const text = textOf(page.html)
    expect(text).toContain('New test claims use version 2')
    expect(text).toContain('Save rule')
    // The version made through the API names its key; the first one predates the record.
    expect(text).toMatch(/Version 2 in use .* by ck_test_\w+/)
    expect(text).toContain('Rate: 1 point gives $0.01 → 100 points give $1.50')
    expect(text).toMatch(/Version 1 .* by — First version: 1 point gives \$0\.01/)
  })

  test('saving makes the next version, made by the member, in the API and the audit log', async ({
    harness,
    db,
  }) => {
    const { app } = harness
    const { browser, provider, email } = await ownerOf(app)
    const saved = await save(browser, FORM)
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe('/console/rules?saved=2')

    const all = await versions(app, provider)
    expect(all.map((r) => [r.version, r.created_by])).toEqual([
      [2, email],
      [1, null],
    ])
    const current = await call(app, 'GET', '/cashout/rules', { key: provider.key })
    expect(current.body).toMatchObject({ ...API_RULE, version: 2, created_by: email })

    const audit = await ruleAudits(db)
    expect(audit).toMatchObject([
      {
        actor_type: 'member',
        actor_label: email,
        livemode: false,
        before: { rate: { points: 1, cash_minor: 1 } },
        after: { rate: { points: 100, cash_minor: 150 } },
      },
    ])

    const page = await browser.open('/console/rules?saved=2')
    const text = textOf(page.html)
    expect(text).toContain('Saved as version 2.')
    expect(text).toContain(`by ${email}`)
    expect(text).toContain('Rate: 1 point gives $0.01 → 100 points give $1.50')
    expect(text).toContain('Percentage fee: 0% → 1.5%')
    expect(text).toContain('Fee paid by: you (the float) → the customer')
    expect(text).toContain('Daily cap per customer: none → $50.00')
    expect(text).toContain('Link lifetime: 7 days → 2 days')

    await save(browser, { ...FORM, cash: '1.75' })
    const again = textOf((await browser.open('/console/rules')).html)
    expect(again).toContain('Cash per 100 points: $1.50 → $1.75')
  })

  test('wrong values come back beside their fields and nothing is saved', async ({ harness }) => {
    const { app } = harness
    const { browser, provider } = await ownerOf(app)
    const bad = await save(browser, { ...FORM, cash: 'abc', points: '0', fee_percent: '1.234' })
    expect(bad.status).toBe(422)
    expect(errorBeside(bad.html, 'cash')).toBe('Enter an amount in dollars, like 1.50.')
    expect(errorBeside(bad.html, 'points')).toBe('Enter at least 1.')
    expect(errorBeside(bad.html, 'fee_percent')).toBe('Use at most two decimal places, like 1.25.')
    expect(textOf(bad.html)).toContain('There is a problem')
    // What was typed is kept, so it can be corrected.
    expect(controlValue(bad.html, 'cash')).toBe('abc')
    expect(controlValue(bad.html, 'step_points')).toBe('10')

    const range = await save(browser, { ...FORM, min_points: '500', max_points: '100' })
    expect(range.status).toBe(422)
    expect(errorBeside(range.html, 'max_points')).toBe(
      'The maximum must not be less than the minimum.',
    )
    const limits = await save(browser, { ...FORM, fee_percent: '101', lifetime: '31' })
    expect(errorBeside(limits.html, 'fee_percent')).toBe('The percentage fee can be at most 100%.')
    expect(errorBeside(limits.html, 'lifetime')).toBe('Links must last from 5 minutes to 30 days.')
    const big = await save(browser, { ...FORM, cash: '10000000.01', cap_daily: '0' })
    expect(errorBeside(big.html, 'cash')).toBe('Enter at most $10,000,000.00.')
    expect(errorBeside(big.html, 'cap_daily')).toBe(
      'Enter at least $0.01, or leave it empty for no cap.',
    )

    expect((await versions(app, provider)).map((r) => r.version)).toEqual([1])
  })

  test('the expiry reminder is set in the form, shown back, and checked against the lifetime', async ({
    harness,
  }) => {
    const { app } = harness
    const { browser, provider } = await ownerOf(app)
    const first = await browser.open('/console/rules')
    expect(controlValue(first.html, 'reminder')).toBe('')

    const saved = await save(browser, { ...FORM, reminder: '6', reminder_unit: 'hours' })
    expect(saved.status).toBe(303)
    const rule = await call(app, 'GET', '/cashout/rules', { key: provider.key })
    expect(rule.body).toMatchObject({
      version: 2,
      claim_lifetime_seconds: 2 * 86_400,
      expiry_reminder_seconds: 6 * 3600,
    })
    const page = await browser.open('/console/rules')
    expect(controlValue(page.html, 'reminder')).toBe('6')
    expect(controlValue(page.html, 'reminder_unit')).toBe('hours')
    expect(textOf(page.html)).toContain('Expiry reminder: none → 6 hours before')

    const tooLong = await save(browser, { ...FORM, reminder: '2', reminder_unit: 'days' })
    expect(tooLong.status).toBe(422)
    expect(errorBeside(tooLong.html, 'reminder')).toBe(
      'The reminder must be shorter than the link lifetime.',
    )
    const tooShort = await save(browser, { ...FORM, reminder: '30', reminder_unit: 'seconds' })
    expect(errorBeside(tooShort.html, 'reminder')).toBe(
      'Send the reminder at least 1 minute before expiry, or leave it empty for none.',
    )
    const unread = await save(browser, { ...FORM, reminder: 'soon', reminder_unit: 'hours' })
    expect(errorBeside(unread.html, 'reminder')).toBe('Enter a whole number, like 100.')
    expect((await versions(app, provider)).map((r) => r.version)).toEqual([2, 1])

    // Emptied, the next version sends none.
    await save(browser, { ...FORM, reminder: '', reminder_unit: 'hours' })
    const cleared = await call(app, 'GET', '/cashout/rules', { key: provider.key })
    expect(cleared.body).toMatchObject({ version: 3, expiry_reminder_seconds: null })
    expect(textOf((await browser.open('/console/rules')).html)).toContain(
      'Expiry reminder: 6 hours before → none',
    )
  })

  test('a viewer sees the rule but cannot save it', async ({ harness, db }) => {
    const { app, deps } = harness
    const { provider } = await ownerOf(app)
    const invite = await issueLink(db, {
      providerId: (await providerId(db, provider.name)) ?? '',
      kind: 'invite',
      role: 'viewer',
      actor: OPERATOR,
      publicUrl: deps.config.publicUrl,
      now: deps.clock.now(),
    })
    const { browser } = await join(app, invite.url, uniqueEmail('viewer'))
    const page = await browser.open('/console/rules')
    expect(page.status).toBe(200)
    expect(textOf(page.html)).not.toContain('Save rule')
    expect(textOf(page.html)).toContain('Your role (viewer) can try the preview')

    const forged = await browser.submit('/console/rules', { ...FORM, intent: 'save' })
    expect(forged.status).toBe(403)
    expect(textOf(forged.html)).toContain('Your role (viewer) cannot do this.')
    expect((await versions(app, provider)).map((r) => r.version)).toEqual([1])

    // Trying numbers is reading, which a viewer may do.
    await browser.open('/console/rules')
    const preview = await browser.submit('/console/rules', { ...FORM, try_points: '1000' })
    expect(preview.status).toBe(200)
    expect(receives(preview.html)).toBeDefined()
  })

  test('the Preview button prices the unsaved rule as /cashout/quote does once saved', async ({
    harness,
  }) => {
    const { app } = harness
    const { browser, provider } = await ownerOf(app)
    await browser.open('/console/rules')
    const preview = await browser.submit('/console/rules', {
      ...FORM,
      try_points: '2,500',
      intent: 'preview',
    })
    expect(preview.status).toBe(200)
    // Nothing is saved by a preview, and the typed values stay on the page.
    expect((await versions(app, provider)).map((r) => r.version)).toEqual([1])
    expect(controlValue(preview.html, 'cash')).toBe('1.50')
    expect(controlValue(preview.html, 'try_points')).toBe('2,500')

    await save(browser, FORM)
    const q = await quote(app, provider.key, 2500)
    expect(q.status).toBe(200)
    // 2500 points at $1.50 per 100 = $37.50; fee $0.25 + 1.5% = $0.81, out of the payout.
    expect(q.body).toMatchObject({ gross_minor: 3750, fee_minor: 81, net_minor: 3669 })
    expect(receives(preview.html)).toBe(displayMoney(BigInt(q.body.net_minor), 'AUD'))
    const text = textOf(preview.html)
    expect(text).toContain('Fee $0.81 (paid by the customer')
    expect(text).toContain('Your float gives up $37.50')
  })

  test('the preview endpoint agrees with /cashout/quote for any points and fee', async ({
    harness,
  }) => {
    const { app } = harness
    const { browser, provider } = await ownerOf(app)
    const rules = [
      { ...FORM, points: '3', cash: '0.07', fee_fixed: '0.10', fee_percent: '2.75' },
      { ...FORM, fee_payer: 'provider', fee_fixed: '1.00', fee_percent: '0.5' },
      { ...FORM, fee_fixed: '0', fee_percent: '0', max_points: '' },
    ]
    for (const form of rules) {
      await save(browser, form)
      for (const points of [100, 110, 990, 12_340, 999_990]) {
        const q = await quote(app, provider.key, points)
        const fragment = await previewHtml(browser, form, String(points))
        expect(fragment.status).toBe(200)
        const text = textOf(fragment.html)
        if (q.status !== 200) {
          expect(q.body.code).toBe('amount_too_small')
          expect(text).toContain('nothing is left for the customer')
          continue
        }
        expect(receives(fragment.html)).toBe(displayMoney(BigInt(q.body.net_minor), 'AUD'))
        expect(text).toContain(`Fee ${displayMoney(BigInt(q.body.fee_minor), 'AUD')}`)
        expect(text).toContain(
          `Your float gives up ${displayMoney(BigInt(q.body.float_debit_minor), 'AUD')}`,
        )
      }
    }
    // Outside the rule's limits the preview says why, as the API refuses.
    const ask = async (points: string, form = FORM) =>
      textOf((await previewHtml(browser, form, points)).html)
    await save(browser, FORM)
    expect((await quote(app, provider.key, 50)).body.code).toBe('amount_out_of_range')
    expect(await ask('50')).toBe('Below the minimum: a claim must be at least 100 points.')
    expect(await ask('2000000')).toBe('Above the maximum: a claim can be at most 1,000,000 points.')
    expect((await quote(app, provider.key, 105)).body.code).toBe('amount_not_in_steps')
    expect(await ask('105')).toBe('Not a multiple of 10 points: try 100 or 110.')
    expect(await ask('')).toContain('Type a number of points')
    // 10,000 points pay $147.50, over the $50.00 daily cap generate would enforce.
    expect(await ask('10000')).toContain(
      'This is over the daily cap of $50.00 per customer, so such a claim would be refused.',
    )
    expect(await ask('12.5')).toBe('Enter a whole number of points, like 2500.')
    expect(await ask('100', { ...FORM, cash: 'abc' })).toBe(
      'Correct the rule above to see a preview.',
    )
  })

  test('in live mode the section edits the live rule, not the test one', async ({ db }) => {
    const { app } = buildTestApp(db, { env: LIVE_ENV })
    const provider = await registerProvider(app)
    const { browser, email } = await ownerOf(app, provider)
    await browser.open('/console/rules')
    const switched = await browser.submit('/console/mode', { mode: 'live', back: '/console/rules' })
    expect(switched.status).toBe(303)
    const page = await browser.open('/console/rules')
    expect(textOf(page.html)).toContain('New live claims use version 1')
    expect(textOf(page.html)).toContain('Live data')

    await save(browser, { ...FORM, cash: '2.00' })
    const live = await call(app, 'GET', '/cashout/rules', { key: liveOf(provider).key })
    expect(live.body).toMatchObject({ version: 2, rate: { cash_minor: 200 }, created_by: email })
    const testRule = await call(app, 'GET', '/cashout/rules', { key: provider.key })
    expect(testRule.body).toMatchObject({ version: 1, rate: { points: 1, cash_minor: 1 } })
    expect((await ruleAudits(db)).map((a) => a.livemode)).toEqual([true])
  })
})
