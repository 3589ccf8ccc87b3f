import type { ClaimLocale } from '../../db/schema.ts'

/** The claim page's languages, in the order the switcher lists them. */
export const LOCALES = ['en', 'ar', 'zh-Hans', 'vi'] as const satisfies readonly ClaimLocale[]
export type Locale = (typeof LOCALES)[number]

export const DEFAULT_LOCALE: Locale = 'en'

/** Each language named in itself, as a switcher shows it. */
export const LOCALE_NAMES: Record<Locale, string> = {
  en: 'English',
  ar: 'العربية',
  'zh-Hans': '简体中文',
  vi: 'Tiếng Việt',
}

/** Each language named in English, for the console. */
export const LOCALE_ENGLISH_NAMES: Record<Locale, string> = {
  en: 'English',
  ar: 'Arabic',
  'zh-Hans': 'Simplified Chinese',
  vi: 'Vietnamese',
}

/** The `lang` attribute: English is Australian English (spelling, dates). */
export const HTML_LANG: Record<Locale, string> = {
  en: 'en-AU',
  ar: 'ar',
  'zh-Hans': 'zh-Hans',
  vi: 'vi',
}

export const textDirection = (locale: Locale): 'ltr' | 'rtl' => (locale === 'ar' ? 'rtl' : 'ltr')

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value)
}

/**
 * The page language a language tag asks for, if we have it: any English, Arabic or Vietnamese;
 * Chinese written in simplified characters (`zh`, `zh-CN`, `zh-SG`, `zh-Hans-…`). Traditional
 * Chinese (`zh-TW`, `zh-HK`, `zh-Hant`) is not simplified Chinese: the next preference decides.
 */
export function localeOfTag(tag: string): Locale | undefined {
  const parts = tag.toLowerCase().split(/[-_]/)
  const [language, second] = parts
  if (language === 'en') return 'en'
  if (language === 'ar') return 'ar'
  if (language === 'vi') return 'vi'
  if (language !== 'zh') return undefined
  if (parts.includes('hant')) return undefined
  if (parts.includes('hans')) return 'zh-Hans'
  return second === 'tw' || second === 'hk' || second === 'mo' ? undefined : 'zh-Hans'
}

/**
 * The best of our languages for an `Accept-Language` header (RFC 9110 §12.5.4): by quality,
 * ties in the order given; `q=0` refuses a language. Undefined when none is ours.
 */
export function negotiateLocale(header: string | undefined): Locale | undefined {
  if (!header) return undefined
  const ranked = header
    .slice(0, 1000)
    .split(',')
    .slice(0, 40)
    .map((entry, index) => {
      const [tag = '', ...params] = entry.trim().split(';')
      const q = params
        .map((p) => /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)?.[1])
        .find(Boolean)
      return { locale: localeOfTag(tag.trim()), q: q === undefined ? 1 : Number(q), index }
    })
    .filter((entry) => entry.locale !== undefined && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
  return ranked[0]?.locale
}
