import { HTML_LANG, type Locale, textDirection } from './locales.ts'
import { ar } from './messages/ar.ts'
import { en } from './messages/en.ts'
import { vi } from './messages/vi.ts'
import { zhHans } from './messages/zh-Hans.ts'

/** A message that counts: one form per plural category of the language (`other` always). */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string }

type English = typeof en
export type MessageKey = {
  [K in keyof English]: English[K] extends string ? K : never
}[keyof English]
export type PluralKey = Exclude<keyof English, MessageKey>

/** A language's catalogue: every key of the English one, counting messages as plurals. */
export type Catalogue = { [K in keyof English]: English[K] extends string ? string : Plural }

export const CATALOGUES: Record<Locale, Catalogue> = { en, ar, 'zh-Hans': zhHans, vi }

/** The `{name}` placeholders of a message, in order. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string)
}

/** A message split at its placeholders: text, then each value in its place (views fill in markup). */
export type Part = string | { name: string }

function split(message: string): Part[] {
  return message.split(/(\{\w+\})/).map((piece) => {
    const name = /^\{(\w+)\}$/.exec(piece)?.[1]
    return name ? { name } : piece
  })
}

function fill(message: string, values: Record<string, string> = {}): string {
  return message.replace(/\{(\w+)\}/g, (whole, name: string) => values[name] ?? whole)
}

/** Everything the page needs to speak one language: its words, and Intl for its numbers. */
export interface Translator {
  locale: Locale
  /** The `lang` attribute. */
  lang: string
  dir: 'ltr' | 'rtl'
  t(key: MessageKey, values?: Record<string, string>): string
  /** A message with markup in its placeholders: the parts to lay out. */
  parts(key: MessageKey): Part[]
  /** A counting message, its number formatted for the language. */
  count(key: PluralKey, n: bigint | number): string
  /** Minor units as money in the language's way; the currency stays itself (AUD is AUD). */
  money(minor: bigint, currency: string): string
  /** A moment in the given time zone, with the zone named. */
  time(at: Date, timeZone: string): string
}

/**
 * Intl's tag for each language. Arabic keeps Western digits, as on the bank details the
 * customer types and reads on statements in Australia, whatever the platform's default.
 */
const INTL_TAG: Record<Locale, string> = {
  en: 'en-AU',
  ar: 'ar-u-nu-latn',
  'zh-Hans': 'zh-Hans',
  vi: 'vi',
}

// Building Intl formatters costs a thousand times more than using one; they are immutable.
const translators = new Map<Locale, Translator>()

export function translator(locale: Locale): Translator {
  const known = translators.get(locale)
  if (known) return known
  const made = makeTranslator(locale)
  translators.set(locale, made)
  return made
}

function makeTranslator(locale: Locale): Translator {
  const catalogue = CATALOGUES[locale]
  const tag = INTL_TAG[locale]
  const plurals = new Intl.PluralRules(tag)
  const integers = new Intl.NumberFormat(tag)
  const currencies = new Map<string, { format: Intl.NumberFormat; digits: number }>()
  const times = new Map<string, Intl.DateTimeFormat>()
  const currency = (code: string) => {
    let known = currencies.get(code)
    if (!known) {
      const format = new Intl.NumberFormat(tag, {
        style: 'currency',
        currency: code,
        // Arabic's `AU$` mixes a Latin word and a symbol that a right-to-left line shows as
        // `$AU`; the code (`AUD`) reads the same in either direction.
        currencyDisplay: locale === 'ar' ? 'code' : 'symbol',
      })
      known = { format, digits: format.resolvedOptions().maximumFractionDigits ?? 2 }
      currencies.set(code, known)
    }
    return known
  }
  const clock = (timeZone: string) => {
    let format = times.get(timeZone)
    if (!format) {
      format = new Intl.DateTimeFormat(tag, {
        timeZone,
        day: 'numeric',
        month: 'short',
        year: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
        timeZoneName: 'short',
      })
      times.set(timeZone, format)
    }
    return format
  }
  return {
    locale,
    lang: HTML_LANG[locale],
    dir: textDirection(locale),
    t: (key, values) => fill(catalogue[key], values),
    parts: (key) => split(catalogue[key]),
    count: (key, n) => {
      const forms = catalogue[key]
      // Plural rules take a number; counts past 2^53 are all `other` in every language here.
      const category = plurals.select(Number(n))
      return fill(forms[category] ?? forms.other, { count: integers.format(n) })
    },
    money: (minor, code) => {
      const { format, digits } = currency(code)
      return format.format(decimalString(minor, digits) as unknown as number)
    },
    time: (at, timeZone) => clock(timeZone).format(at),
  }
}

/**
 * Minor units as an exact decimal string (`2450` → `"24.50"`): Intl formats a string without
 * going through a float, so no amount is ever rounded on its way to the page.
 */
export function decimalString(minor: bigint, fractionDigits: number): string {
  const sign = minor < 0n ? '-' : ''
  const abs = (minor < 0n ? -minor : minor).toString().padStart(fractionDigits + 1, '0')
  if (fractionDigits === 0) return `${sign}${abs}`
  return `${sign}${abs.slice(0, -fractionDigits)}.${abs.slice(-fractionDigits)}`
}
