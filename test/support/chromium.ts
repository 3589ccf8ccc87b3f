import { mkdirSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core'
import { PASSWORD } from './console.ts'

/** Screenshots land here (CI keeps test-output); look at them. */
export const SHOTS = join(process.cwd(), 'test-output', 'screenshots')
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js')

/** Debian's Chromium, headless, with nothing reaching outside the machine. */
export async function launchChromium(): Promise<Browser> {
  mkdirSync(join(SHOTS, 'console'), { recursive: true })
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  })
}

/** A phone-sized context by default; `width: 1280` for a desktop one. */
export function newContext(
  browser: Browser,
  options: { width?: number; javaScript?: boolean; locale?: string } = {},
) {
  const width = options.width ?? 390
  return browser.newContext({
    viewport: { width, height: width > 800 ? 800 : 844 },
    javaScriptEnabled: options.javaScript ?? true,
    // The browser's language: what it sends as Accept-Language.
    locale: options.locale,
  })
}

/**
 * Full-page screenshots of the current page at 390 and 1280 px, as
 * `test-output/screenshots/console/<name>-390.png` and `-1280.png`.
 */
export async function shotBoth(page: Page, name: string) {
  const original = page.viewportSize()
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width > 800 ? 800 : 844 })
    await page.screenshot({ path: join(SHOTS, 'console', `${name}-${width}.png`), fullPage: true })
  }
  if (original) await page.setViewportSize(original)
}

/**
 * axe-core's serious and critical findings on the page as it is now; `include` narrows the check
 * to some selectors (axe spends about 14 s on every element of a very long page).
 */
export async function seriousViolations(
  context: BrowserContext,
  page: Page,
  options: { include?: string[] } = {},
) {
  const checker = await context
    .browser()
    ?.newContext({ bypassCSP: true, viewport: page.viewportSize() ?? { width: 390, height: 844 } })
  if (!checker) throw new Error('no browser')
  try {
    const copy = await checker.newPage()
    await copy.setContent(await page.content(), { waitUntil: 'domcontentloaded' })
    await copy.addScriptTag({ path: AXE })
    const where = options.include ? JSON.stringify({ include: options.include }) : 'document'
    const result = (await copy.evaluate(`axe.run(${where}, { resultTypes: ['violations'] })`)) as {
      violations: { id: string; impact: string; help: string }[]
    }
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help}`)
  } finally {
    await checker.close()
  }
}

/** Opens a setup or invite link and creates the account, as a person would. */
export async function joinInBrowser(
  page: Page,
  linkUrl: string,
  email: string,
  password = PASSWORD,
) {
  await page.goto(linkUrl)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.getByRole('heading', { name: 'Overview' }).waitFor()
}

export async function signInInBrowser(
  page: Page,
  baseUrl: string,
  email: string,
  password = PASSWORD,
) {
  await page.goto(`${baseUrl}/console/sign-in`)
  await page.getByLabel('Email').fill(email)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}
