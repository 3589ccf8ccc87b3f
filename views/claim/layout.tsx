import type { Child } from 'hono/jsx'
import { LOCALE_NAMES, LOCALES } from '../../src/page/i18n/locales.ts'
import type { LanguagesModel, Translator } from './model.ts'

export interface ClaimLayoutProps {
  t: Translator
  title: string
  stylesheet: string
  /** The provider's colours, linked after the shared stylesheet so they win. */
  theme?: string
  script?: string
  /** Reload every few seconds when scripts are off (the status view). */
  refreshSeconds?: number
  languages?: LanguagesModel
  children: Child
}

export function ClaimLayout({
  t,
  title,
  stylesheet,
  theme,
  script,
  refreshSeconds,
  languages,
  children,
}: ClaimLayoutProps) {
  return (
    <html lang={t.lang} dir={t.dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{title}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={stylesheet} />
        {theme ? <link rel="stylesheet" href={theme} /> : null}
        {refreshSeconds ? (
          <noscript>
            <meta http-equiv="refresh" content={String(refreshSeconds)} />
          </noscript>
        ) : null}
        {script ? <script src={script} defer /> : null}
      </head>
      <body class={theme ? 'provider-theme' : undefined}>
        <main class="page">
          {languages ? <LanguageSwitcher t={t} languages={languages} /> : null}
          {children}
        </main>
      </body>
    </html>
  )
}

/**
 * Every language, each named in itself and marked with its own `lang`, so a reader finds theirs
 * whatever the page is in. The choice is kept for the browser (a cookie); scripts carry what the
 * customer typed over to the other language.
 */
function LanguageSwitcher({ t, languages }: { t: Translator; languages: LanguagesModel }) {
  return (
    <nav class="languages" aria-label={t.t('language.label')}>
      <ul>
        {LOCALES.map((locale) => (
          <li>
            {locale === languages.current ? (
              <span aria-current="true" lang={locale}>
                {LOCALE_NAMES[locale]}
              </span>
            ) : (
              <a href={languages.href(locale)} hreflang={locale} lang={locale} data-lang={locale}>
                {LOCALE_NAMES[locale]}
              </a>
            )}
          </li>
        ))}
      </ul>
    </nav>
  )
}
