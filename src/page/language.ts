import type { Context } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import type { AppEnv } from '../http/env.ts'
import { secureCookies } from '../http/secure-cookies.ts'
import { translator } from './i18n/catalogue.ts'
import { DEFAULT_LOCALE, isLocale, type Locale, negotiateLocale } from './i18n/locales.ts'

const LANG_COOKIE = 'cashout_lang'

/**
 * The language a claim page speaks, most explicit first: the customer's choice now (the
 * switcher's `?lang=` or a form's `lang`), then their earlier choice in this browser (a
 * cookie), then the language the provider fixed for the claim, then the browser's
 * `Accept-Language`, then English. A choice made now is kept for this browser.
 */
export function pageLanguage(
  c: Context<AppEnv>,
  options: { claimLocale?: string | null; chosen?: unknown } = {},
) {
  const chosen = options.chosen ?? c.req.query('lang')
  let locale: Locale
  if (isLocale(chosen)) {
    locale = chosen
    rememberLanguage(c, chosen)
  } else {
    const kept = getCookie(c, LANG_COOKIE)
    locale = isLocale(kept)
      ? kept
      : isLocale(options.claimLocale)
        ? options.claimLocale
        : (negotiateLocale(c.req.header('accept-language')) ?? DEFAULT_LOCALE)
  }
  // The same address answers in another language for another browser.
  c.header('Vary', 'Accept-Language, Cookie', { append: true })
  c.header('Content-Language', translator(locale).lang)
  return translator(locale)
}

function rememberLanguage(c: Context<AppEnv>, locale: Locale) {
  if (getCookie(c, LANG_COOKIE) === locale) return
  setCookie(c, LANG_COOKIE, locale, {
    path: '/c/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: secureCookies(c),
    maxAge: 365 * 24 * 3600,
  })
}

/** The switcher's address for a page in another language: the page itself, with `?lang=`. */
export function languageHref(path: string) {
  return (locale: Locale) => `${path}?lang=${encodeURIComponent(locale)}`
}
