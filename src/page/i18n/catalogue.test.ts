import { describe, expect, it } from 'vitest'
import { parseDestination } from '../../payouts/destination.ts'
import { DESTINATION_MESSAGES, destinationMessageKey } from '../../payouts/destination-messages.ts'
import { CATALOGUES, decimalString, placeholders, translator } from './catalogue.ts'
import { LOCALES } from './locales.ts'
import { en } from './messages/en.ts'

const keys = Object.keys(en).sort()

describe('the catalogues', () => {
  it.each(LOCALES)('%s has every key of the English one, and no other', (locale) => {
    expect(Object.keys(CATALOGUES[locale]).sort()).toEqual(keys)
  })

  it.each(LOCALES)('%s leaves no message empty, untrimmed or untranslated', (locale) => {
    for (const key of keys) {
      const forms = Object.values(
        typeof CATALOGUES[locale][key as keyof typeof en] === 'string'
          ? { other: CATALOGUES[locale][key as keyof typeof en] }
          : CATALOGUES[locale][key as keyof typeof en],
      ) as string[]
      for (const form of forms) {
        expect(form.trim(), `${locale} ${key}`).toBe(form)
        expect(form.length, `${locale} ${key}`).toBeGreaterThan(0)
      }
    }
    if (locale === 'en') return
    // Only names and codes may read the same in English: PayID, BSB, the titles built of them.
    const same = keys.filter(
      (key) =>
        typeof en[key as keyof typeof en] === 'string' &&
        en[key as keyof typeof en] === CATALOGUES[locale][key as keyof typeof en],
    )
    const allowed = ['form.payid_section', 'form.payid', 'form.bsb', 'payid_type.abn']
    allowed.push('notice.title', 'failure.field.payid', 'failure.field.bsb')
    expect(same.filter((key) => !allowed.includes(key))).toEqual([])
  })

  it.each(LOCALES)('%s keeps the English placeholders in every message', (locale) => {
    for (const key of keys) {
      const english = en[key as keyof typeof en]
      const theirs = CATALOGUES[locale][key as keyof typeof en]
      if (typeof english === 'string') {
        expect(placeholders(theirs as string).sort(), `${locale} ${key}`).toEqual(
          placeholders(english).sort(),
        )
        continue
      }
      // A counting message may leave out the number where its language says it in words
      // (Arabic "نقطتين", two points), but its `other` form always shows it.
      const forms = theirs as Record<string, string>
      expect(placeholders(forms.other ?? '').sort(), `${locale} ${key}`).toEqual(
        placeholders(english.other).sort(),
      )
      for (const form of Object.values(forms)) {
        for (const name of placeholders(form)) expect(placeholders(english.other)).toContain(name)
      }
    }
  })

  it.each(LOCALES)('%s has a form for each plural category of its language', (locale) => {
    const t = translator(locale)
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories
    for (const key of keys) {
      const message = CATALOGUES[locale][key as keyof typeof en]
      if (typeof message === 'string') continue
      expect(Object.keys(message).sort(), `${locale} ${key}`).toEqual([...categories].sort())
    }
    expect(t.count('points', 2500)).toContain('2')
  })

  it('has every message the destination parser gives, under the same key', () => {
    for (const [key, text] of Object.entries(DESTINATION_MESSAGES)) {
      expect(en[`validation.${key}` as keyof typeof en]).toBe(text)
      expect(destinationMessageKey(text.replace('{max}', '7'))?.key).toBe(key)
    }
  })

  it.each([
    [{ type: 'payid', payid_type: 'email', payid: 'nope' }],
    [{ type: 'payid', payid_type: 'mobile', payid: '123' }],
    [{ type: 'payid', payid_type: 'abn', payid: '123' }],
    [{ type: 'payid', payid_type: 'abn', payid: '51824753557' }],
    [{ type: 'payid', payid_type: 'org_id', payid: '!' }],
    [{ type: 'payid', payid_type: 'fax', payid: 'x' }],
    [{ type: 'payid', payid_type: 'email', payid: '' }],
    [{ type: 'payid', payid_type: 'email', payid: 'a\u200bb@example.com' }],
    [{ type: 'payid', payid_type: 'email', payid: 'ａ@example.com' }],
    [{ type: 'payid', payid_type: 'email', payid: 'x'.repeat(321) }],
    [{ type: 'bank', account_name: '', bsb: '1', account_number: '1' }],
    [{ type: 'bank', account_name: 'Nguyễn Văn A', bsb: '062000', account_number: '12345678' }],
    [{ type: 'bank', account_name: 'x'.repeat(141), bsb: '062000', account_number: '12345678' }],
    [{ type: 'bank', account_name: '4111 1111 1111 1111', bsb: '062000', account_number: '1234' }],
    [{ type: 'fax' }],
    [{}],
  ])('finds a key for what the parser says of %j', (input) => {
    const parsed = parseDestination(input)
    expect(parsed.ok).toBe(false)
    if (parsed.ok) return
    for (const error of parsed.errors) {
      expect(destinationMessageKey(error.message), error.message).toBeDefined()
    }
  })
})

describe('formatting for the language', () => {
  it.each([
    ['en', 245050n, '$2,450.50'],
    ['ar', 245050n, '2,450.50 AUD'],
    ['zh-Hans', 245050n, 'AU$2,450.50'],
    ['vi', 245050n, '2.450,50 AU$'],
  ] as const)('%s shows %s minor units of AUD as %s', (locale, minor, text) => {
    // Arabic marks the amount's direction with an invisible right-to-left mark; the space
    // before a trailing symbol is a no-break space.
    const shown = translator(locale).money(minor, 'AUD')
    expect(shown.replace(/\u200f/g, '').replace(/\u00a0/g, ' ')).toBe(text)
  })

  it('never rounds an amount through a float', () => {
    expect(translator('en').money(900719925474099312n, 'AUD')).toBe('$9,007,199,254,740,993.12')
    expect(translator('en').money(-5n, 'AUD')).toBe('-$0.05')
  })

  it.each([
    [0n, 2, '0.00'],
    [5n, 2, '0.05'],
    [2450n, 2, '24.50'],
    [-2450n, 2, '-24.50'],
    [123n, 0, '123'],
  ])('writes %s minor units with %s decimals as %s', (minor, digits, text) => {
    expect(decimalString(minor, digits)).toBe(text)
  })

  it.each([
    ['en', 1n, '1 point'],
    ['en', 25000n, '25,000 points'],
    ['ar', 1n, 'نقطة واحدة'],
    ['ar', 2n, 'نقطتين'],
    ['ar', 3n, '3 نقاط'],
    ['ar', 11n, '11 نقطة'],
    ['ar', 2500n, '2,500 نقطة'],
    ['zh-Hans', 2500n, '2,500 积分'],
    ['vi', 2500n, '2.500 điểm'],
  ] as const)('%s counts %s as %s', (locale, n, text) => {
    expect(translator(locale).count('points', n)).toBe(text)
  })

  it.each([
    ['en', '28 Nov 2026, 8:30 pm AEDT'],
    ['ar', '28 نوفمبر 2026، 8:30 م'],
    ['zh-Hans', '2026年11月28日'],
    ['vi', '20:30'],
  ] as const)('%s shows times in the customer’s zone', (locale, text) => {
    expect(translator(locale).time(new Date('2026-11-28T09:30:00Z'), 'Australia/Sydney')).toContain(
      text,
    )
  })

  it('knows each language’s direction and lang attribute', () => {
    expect(LOCALES.map((l) => [translator(l).lang, translator(l).dir])).toEqual([
      ['en-AU', 'ltr'],
      ['ar', 'rtl'],
      ['zh-Hans', 'ltr'],
      ['vi', 'ltr'],
    ])
  })

  it('fills placeholders and splits them out for markup', () => {
    const t = translator('en')
    expect(t.t('offer.fee', { fee: '$1.00' })).toBe('Includes a $1.00 fee, already taken off.')
    expect(t.parts('status.on_its_way')).toEqual([
      '',
      { name: 'cash' },
      ' is on its way to ',
      { name: 'destination' },
      '.',
    ])
  })
})
