import { describe, expect } from 'vitest'
import { translator } from '../../src/page/i18n/catalogue.ts'
import { Browserish, csrfOf, textOf } from '../support/browserish.ts'
import { call, expectError, fundedProvider, generate } from '../support/client.ts'
import { test } from '../support/fixtures.ts'

type App = Parameters<typeof fundedProvider>[0]

async function openClaim(app: App, body: Record<string, unknown> = {}) {
  const provider = await fundedProvider(app, 1_000_000)
  const reply = await generate(app, provider, {
    amount: 2500,
    id: `lang-${Math.random()}`,
    ...body,
  })
  expect(reply.status).toBe(200)
  return { provider, claim: reply.body, path: `/c/${reply.body.uuid}` }
}

const langOf = (html: string) => /<html lang="([^"]+)" dir="([^"]+)"/.exec(html)?.slice(1)

describe('which language the claim page speaks', () => {
  test('the browser’s Accept-Language, by preference; English when none is ours', async ({
    harness,
  }) => {
    const { path } = await openClaim(harness.app)
    const ask = async (header?: string) => {
      const page = await new Browserish(harness.app).request(path, {
        headers: header ? { 'Accept-Language': header } : {},
      })
      expect(page.status).toBe(200)
      return { lang: langOf(page.html), page }
    }
    expect((await ask()).lang).toEqual(['en-AU', 'ltr'])
    expect((await ask('fr-FR,ar;q=0.8,en;q=0.5')).lang).toEqual(['ar', 'rtl'])
    expect((await ask('zh-CN,zh;q=0.9')).lang).toEqual(['zh-Hans', 'ltr'])
    expect((await ask('zh-TW, vi;q=0.3')).lang).toEqual(['vi', 'ltr'])
    expect((await ask('de-DE')).lang).toEqual(['en-AU', 'ltr'])
    const { page } = await ask('vi')
    expect(page.headers.get('content-language')).toBe('vi')
    expect(page.headers.get('vary')).toMatch(/Accept-Language/)
    expect(textOf(page.html)).toContain(translator('vi').t('form.where'))
  })

  test('a provider fixes a claim’s language at generate; the customer can still switch', async ({
    harness,
  }) => {
    const { claim, path } = await openClaim(harness.app, { locale: 'ar' })
    expect(claim.locale).toBe('ar')
    const customer = new Browserish(harness.app)
    const fixed = await customer.request(path, { headers: { 'Accept-Language': 'en-AU' } })
    expect(langOf(fixed.html)).toEqual(['ar', 'rtl'])
    expect(textOf(fixed.html)).toContain(translator('ar').t('form.where'))
    const switched = await customer.get(`${path}?lang=zh-Hans`)
    expect(langOf(switched.html)).toEqual(['zh-Hans', 'ltr'])
    // Kept for this browser: the next view needs no `?lang=`.
    expect(customer.hasCookie('cashout_lang')).toBe(true)
    expect(langOf((await customer.get(path)).html)).toEqual(['zh-Hans', 'ltr'])
    // Anything else in `?lang=` is not a choice.
    expect(langOf((await customer.get(`${path}?lang=xx`)).html)).toEqual(['zh-Hans', 'ltr'])
    expect(langOf((await new Browserish(harness.app).get(`${path}?lang=xx`)).html)).toEqual([
      'ar',
      'rtl',
    ])
  })

  test('`locale` at generate is checked, shown, and part of the request the id stands for', async ({
    harness,
  }) => {
    const provider = await fundedProvider(harness.app, 1_000_000)
    const bad = await generate(harness.app, provider, { amount: 10, id: 'l1', locale: 'fr' })
    expectError(bad, 422, 'validation_failed')
    expect(bad.body.details).toEqual([
      { field: 'locale', message: 'Must be one of en, ar, zh-Hans, vi.' },
    ])
    const plain = await generate(harness.app, provider, { amount: 10, id: 'l2' })
    expect(plain.body.locale).toBeNull()
    const first = await generate(harness.app, provider, { amount: 10, id: 'l3', locale: 'vi' })
    expect(first.body.locale).toBe('vi')
    const again = await generate(harness.app, provider, { amount: 10, id: 'l3', locale: 'vi' })
    expect(again.headers.get('idempotent-replayed')).toBe('true')
    expect(again.body.uuid).toBe(first.body.uuid)
    expectError(
      await generate(harness.app, provider, { amount: 10, id: 'l3', locale: 'ar' }),
      409,
      'idempotency_conflict',
    )
    expectError(
      await generate(harness.app, provider, { amount: 10, id: 'l3' }),
      409,
      'idempotency_conflict',
    )
    // A request without a locale is the request it always was.
    const replay = await generate(harness.app, provider, { amount: 10, id: 'l2' })
    expect(replay.body.uuid).toBe(plain.body.uuid)
    const read = await call(harness.app, 'GET', `/cashout/claims/${first.body.uuid}`, {
      key: provider.key,
    })
    expect(read.body.locale).toBe('vi')
  })

  test('validation messages and a change of language keep to the customer’s words', async ({
    harness,
  }) => {
    const { path } = await openClaim(harness.app, { locale: 'vi' })
    const customer = new Browserish(harness.app)
    const form = await customer.get(path)
    const csrf = csrfOf(form.html)
    const vi = translator('vi')
    const wrong = await customer.post(path, {
      csrf,
      type: 'bank',
      account_name: 'Nguyễn Văn A',
      bsb: '062000',
      account_number: '12',
      action: 'continue',
    })
    expect(wrong.status).toBe(400)
    expect(textOf(wrong.html)).toContain(vi.t('validation.account_name_characters'))
    expect(textOf(wrong.html)).toContain(vi.t('validation.account_number'))
    expect(wrong.html).toContain(`<title>${vi.t('meta.error', { title: '' }).trim()}`)
    // The switcher's post: the same fields, shown again in the chosen language, unjudged.
    const switched = await customer.post(path, {
      csrf,
      type: 'bank',
      account_name: 'Nguyen Van A',
      bsb: '062000',
      account_number: '12',
      lang: 'en',
    })
    expect(switched.status).toBe(200)
    expect(langOf(switched.html)).toEqual(['en-AU', 'ltr'])
    expect(switched.html).toContain('value="Nguyen Van A"')
    expect(textOf(switched.html)).not.toContain('There is a problem')
    // From the review, the review again.
    const review = await customer.post(path, {
      csrf,
      type: 'bank',
      account_name: 'Nguyen Van A',
      bsb: '062000',
      account_number: '12345678',
      step: 'review',
      lang: 'ar',
    })
    expect(langOf(review.html)).toEqual(['ar', 'rtl'])
    expect(textOf(review.html)).toContain(translator('ar').t('review.heading'))
    expect(review.html).toContain('<bdi dir="ltr" class="ltr">••••5678</bdi>')
    // A language nobody offered is not a change of language: the form is judged as sent.
    const odd = await customer.post(path, { csrf, type: 'payid', lang: 'xx' })
    expect(odd.status).toBe(400)
    expect(langOf(odd.html)).toEqual(['ar', 'rtl'])
    expect(textOf(odd.html)).toContain(translator('ar').t('validation.payid_type'))
  })

  test('the unusable link and the rate limit answer in the browser’s language, naming no path', async ({
    harness,
  }) => {
    const unknown = `/c/${crypto.randomUUID()}`
    const page = await new Browserish(harness.app).request(unknown, {
      headers: { 'Accept-Language': 'zh-CN' },
    })
    expect(page.status).toBe(404)
    expect(langOf(page.html)).toEqual(['zh-Hans', 'ltr'])
    expect(textOf(page.html)).toContain(translator('zh-Hans').t('unavailable.heading'))
    expect(page.html).not.toContain(unknown)
    expect(page.html).toContain('href="?lang=ar"')

    const { path } = await openClaim(harness.app)
    const browser = new Browserish(harness.app, '192.0.2.90')
    for (let i = 0; i < 120; i++) await browser.get(path)
    const limited = await browser.request(path, { headers: { 'Accept-Language': 'ar' } })
    expect(limited.status).toBe(429)
    expect(textOf(limited.html)).toContain(translator('ar').t('notice.too_many.heading'))
    const seconds = Number(limited.headers.get('retry-after'))
    expect(textOf(limited.html)).toContain(
      translator('ar').count('notice.too_many.message', seconds),
    )
  })
})
