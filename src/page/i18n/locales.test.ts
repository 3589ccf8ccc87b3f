import { describe, expect, it } from 'vitest'
import { localeOfTag, negotiateLocale } from './locales.ts'

describe('choosing the page language from Accept-Language', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['fr-FR, de;q=0.8', undefined],
    ['ar', 'ar'],
    ['ar-SA,ar;q=0.9,en;q=0.8', 'ar'],
    ['en-US,en;q=0.9', 'en'],
    ['vi-VN', 'vi'],
    ['zh-CN,zh;q=0.9', 'zh-Hans'],
    ['zh', 'zh-Hans'],
    ['zh-Hans-AU', 'zh-Hans'],
    // Traditional Chinese is not simplified: the next preference decides.
    ['zh-TW,en;q=0.5', 'en'],
    ['zh-Hant-HK, vi;q=0.4', 'vi'],
    ['fr;q=1, en;q=0.2, ar;q=0.7', 'ar'],
    ['ar;q=0, en', 'en'],
    ['en;q=0.5, vi;q=0.5', 'en'],
    ['*', undefined],
    ['en;q=bogus, ar;q=0.3', 'en'],
  ])('%j → %s', (header, locale) => {
    expect(negotiateLocale(header)).toBe(locale)
  })

  it('reads each language tag the way browsers send it', () => {
    expect(localeOfTag('EN-au')).toBe('en')
    expect(localeOfTag('zh_SG')).toBe('zh-Hans')
    expect(localeOfTag('zh-MO')).toBeUndefined()
    expect(localeOfTag('arn')).toBeUndefined()
  })

  it('stays quick on a header too long to be a browser’s', () => {
    expect(negotiateLocale(`${'xx, '.repeat(10_000)}ar`)).toBeUndefined()
  })
})
