import { DemoError } from './api.ts'

/**
 * Fills in the hosted claim page as a browser would: loads it (which sets the form cookie),
 * continues to the review with the PayID, then confirms.
 */
export async function cashOutOnPage(pageUrl: string, payid: string): Promise<void> {
  const origin = new URL(pageUrl).origin
  let cookies = ''
  const send = async (url: string, form?: Record<string, string>) => {
    const res = await fetch(url, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: {
        ...(cookies ? { Cookie: cookies } : {}),
        ...(form
          ? {
              'Content-Type': 'application/x-www-form-urlencoded',
              Origin: origin,
              'Sec-Fetch-Site': 'same-origin',
            }
          : {}),
      },
      body: form ? new URLSearchParams(form).toString() : undefined,
    })
    const set = res.headers.getSetCookie().map((line) => line.split(';')[0])
    if (set.length > 0) cookies = [cookies, ...set].filter(Boolean).join('; ')
    return { status: res.status, html: await res.text() }
  }
  const page = await send(pageUrl)
  const csrf = /name="csrf" value="([^"]+)"/.exec(page.html)?.[1]
  if (page.status !== 200 || !csrf) {
    throw new DemoError(`The claim page at ${pageUrl} did not offer a form (HTTP ${page.status}).`)
  }
  const fields = { csrf, type: 'payid', payid_type: 'email', payid }
  const review = await send(pageUrl, { ...fields, action: 'continue' })
  if (review.status !== 200 || !review.html.includes(`${pageUrl.replace(origin, '')}/confirm`)) {
    throw new DemoError(`The claim page did not accept the PayID ${payid} (HTTP ${review.status}).`)
  }
  const confirmed = await send(`${pageUrl}/confirm`, fields)
  if (confirmed.status >= 400) {
    throw new DemoError(`The claim page refused the cashout (HTTP ${confirmed.status}).`)
  }
}
