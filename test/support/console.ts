import type { App } from '../../src/app.ts'
import { Browserish, csrfOf } from './browserish.ts'
import { registerProvider, type TestProvider } from './client.ts'

/** Long enough for the 12-character rule; every test member uses it unless it says otherwise. */
export const PASSWORD = 'correct horse battery staple'

let emails = 0
export function uniqueEmail(prefix = 'owner') {
  emails += 1
  return `${prefix}-${emails}-${Math.random().toString(36).slice(2, 8)}@example.com`
}

/** The path of a console link, whatever host PUBLIC_URL gave it. */
export function pathOf(url: string) {
  return new URL(url).pathname
}

/**
 * A browser-like client of the console: keeps cookies, and posts each form with the token of
 * the last page it read, as a person clicking through would.
 */
export class ConsoleBrowser extends Browserish {
  csrf = ''

  async open(path: string) {
    const page = await this.get(path)
    const match = /name="csrf" value="([^"]+)"/.exec(page.html)
    if (match?.[1]) this.csrf = match[1]
    return page
  }

  /** Posts a form with the page's token (open a page first). */
  async submit(path: string, fields: Record<string, string> = {}) {
    if (!this.csrf) await this.open('/console/sign-in')
    const page = await this.post(path, { csrf: this.csrf, ...fields })
    const match = /name="csrf" value="([^"]+)"/.exec(page.html)
    if (match?.[1]) this.csrf = match[1]
    return page
  }
}

/** Uses a setup or invite link: a new member, signed in in `browser`. */
export async function join(
  app: App,
  linkUrl: string,
  email = uniqueEmail(),
  password = PASSWORD,
  browser = new ConsoleBrowser(app),
) {
  const path = pathOf(linkUrl)
  const form = await browser.get(path)
  if (form.status !== 200) throw new Error(`join page answered ${form.status}`)
  const done = await browser.post(path, { csrf: csrfOf(form.html), email, password })
  if (done.status !== 303) throw new Error(`join answered ${done.status}: ${done.html}`)
  await browser.open('/console')
  return { browser, email, password }
}

export interface ConsoleOwner {
  provider: TestProvider
  browser: ConsoleBrowser
  email: string
}

/** A registered provider whose first owner has used the setup link and is signed in. */
export async function ownerOf(
  app: App,
  provider?: TestProvider,
  email = uniqueEmail(),
): Promise<ConsoleOwner> {
  const p = provider ?? (await registerProvider(app))
  const { browser } = await join(app, p.consoleSetupUrl, email)
  return { provider: p, browser, email }
}
