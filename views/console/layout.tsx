import type { Child } from 'hono/jsx'

export interface ConsoleAssets {
  stylesheet: string
  script: string
}

/** One section of the store owner's console, as the navigation names it. */
export type Section =
  | 'overview'
  | 'rules'
  | 'claims'
  | 'float'
  | 'webhooks'
  | 'keys'
  | 'team'
  | 'settings'
  | 'activity'

export const SECTIONS: { id: Section; label: string; path: string }[] = [
  { id: 'overview', label: 'Overview', path: '/console' },
  { id: 'rules', label: 'Rules', path: '/console/rules' },
  { id: 'claims', label: 'Claims', path: '/console/claims' },
  { id: 'float', label: 'Float', path: '/console/float' },
  { id: 'webhooks', label: 'Webhooks', path: '/console/webhooks' },
  { id: 'keys', label: 'API keys', path: '/console/keys' },
  { id: 'team', label: 'Team', path: '/console/team' },
  { id: 'settings', label: 'Settings', path: '/console/settings' },
  { id: 'activity', label: 'Activity', path: '/console/activity' },
]

/** What every signed-in page shows around its content. */
export interface Chrome {
  assets: ConsoleAssets
  csrf: string
  /** The provider's name, or "Operator". */
  heading: string
  /** Who is signed in, e.g. "ana@example.com (owner)". */
  who: string
  livemode: boolean
  /** Whether this deployment can show live data at all (a live rail is configured). */
  liveAvailable: boolean
  /** The store owner's sections; the operator console has its own, shorter list. */
  sections: { id: string; label: string; path: string }[]
  current: string
  /** This page's path, where the mode switch comes back to. */
  path: string
  /** The signed-in person's own account page, linked from their name. */
  accountHref?: string
  /** Where sign-out and the mode switch post. */
  signOutAction: string
  modeAction?: string
}

function ModeSwitch({ chrome }: { chrome: Chrome }) {
  const label = chrome.livemode ? 'Live data' : 'Test data'
  return (
    <div class="mode">
      <span class={chrome.livemode ? 'badge live' : 'badge test'}>{label}</span>
      {chrome.modeAction && chrome.liveAvailable ? (
        <form method="post" action={chrome.modeAction} class="inline">
          <input type="hidden" name="csrf" value={chrome.csrf} />
          <input type="hidden" name="mode" value={chrome.livemode ? 'test' : 'live'} />
          <input type="hidden" name="back" value={chrome.path} />
          <button type="submit" class="button link">
            {chrome.livemode ? 'Switch to test data' : 'Switch to live data'}
          </button>
        </form>
      ) : null}
    </div>
  )
}

export function ConsoleLayout({
  title,
  chrome,
  children,
}: {
  title: string
  chrome: Chrome
  children: Child
}) {
  return (
    <html lang="en-AU">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} · ${chrome.heading} · Cashout console`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={chrome.assets.stylesheet} />
        <script src={chrome.assets.script} defer />
      </head>
      <body>
        <a class="skip" href="#content">
          Skip to content
        </a>
        <header class="top">
          <a class="brand" href={chrome.sections[0]?.path ?? '/console'}>
            {chrome.heading}
          </a>
          {chrome.modeAction ? <ModeSwitch chrome={chrome} /> : null}
          {chrome.accountHref ? (
            <a class="who" href={chrome.accountHref}>
              {chrome.who}
            </a>
          ) : (
            <span class="who">{chrome.who}</span>
          )}
          <form method="post" action={chrome.signOutAction} class="inline">
            <input type="hidden" name="csrf" value={chrome.csrf} />
            <button type="submit" class="button secondary">
              Sign out
            </button>
          </form>
        </header>
        {chrome.modeAction && !chrome.livemode ? (
          <p class="test-banner" role="note">
            You are looking at test data. Nothing here is real money.
          </p>
        ) : null}
        <div class="shell">
          <nav class="sections" aria-label="Console">
            <ul>
              {chrome.sections.map((s) => (
                <li>
                  <a href={s.path} aria-current={s.id === chrome.current ? 'page' : undefined}>
                    {s.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          <main id="content">
            <h1>{title}</h1>
            {children}
          </main>
        </div>
      </body>
    </html>
  )
}

/** Pages before sign-in (sign in, setup, two-factor): no navigation, one narrow column. */
export function PlainLayout({
  title,
  assets,
  children,
}: {
  title: string
  assets: ConsoleAssets
  children: Child
}) {
  return (
    <html lang="en-AU">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <title>{`${title} · Cashout console`}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href={assets.stylesheet} />
        <script src={assets.script} defer />
      </head>
      <body>
        <main class="narrow" id="content">
          <h1>{title}</h1>
          {children}
        </main>
      </body>
    </html>
  )
}
