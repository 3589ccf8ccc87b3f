import type { Child } from 'hono/jsx'

export interface ClaimLayoutProps {
  title: string
  stylesheet: string
  /** The provider's colours, linked after the shared stylesheet so they win. */
  theme?: string
  script?: string
  /** Reload every few seconds when scripts are off (the status view). */
  refreshSeconds?: number
  children: Child
}

export function ClaimLayout({
  title,
  stylesheet,
  theme,
  script,
  refreshSeconds,
  children,
}: ClaimLayoutProps) {
  return (
    <html lang="en-AU">
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
        <main class="page">{children}</main>
      </body>
    </html>
  )
}
