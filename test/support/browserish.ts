import type { App } from '../../src/app.ts'

interface Cookie {
  name: string
  value: string
  path: string
}

/** Sends one request by path: through `app.request`, or over HTTP to a running server. */
type Send = (path: string, init: RequestInit) => Promise<Response>

/** A running server's base URL as a `Send`; redirects are left for the test to read. */
export const overHttp =
  (baseUrl: string): Send =>
  (path, init) =>
    fetch(`${baseUrl}${path}`, { ...init, redirect: 'manual' })

/**
 * A client that keeps cookies by path and can post forms, as a browser would; headers that
 * browsers add (Sec-Fetch-Site, Origin) are for each test to choose.
 */
export class Browserish {
  private cookies: Cookie[] = []
  private readonly send: Send

  constructor(target: App | Send, ip = '203.0.113.7') {
    this.send =
      typeof target === 'function'
        ? target
        : (path, init) =>
            Promise.resolve(
              target.request(path, init, { incoming: { socket: { remoteAddress: ip } } }),
            )
  }

  private cookieHeader(path: string): string | undefined {
    const matching = this.cookies.filter(
      (c) => path === c.path || path.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`),
    )
    return matching.length > 0 ? matching.map((c) => `${c.name}=${c.value}`).join('; ') : undefined
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair = '', ...attrs] = line.split(';').map((s) => s.trim())
      const [name = '', value = ''] = pair.split('=')
      const path = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/'
      this.cookies = this.cookies.filter((c) => !(c.name === name && c.path === path))
      this.cookies.push({ name, value, path })
    }
  }

  async request(path: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    const cookie = this.cookieHeader(path)
    if (cookie) headers.set('Cookie', cookie)
    const res = await this.send(path, { ...init, headers })
    this.remember(res)
    return { status: res.status, headers: res.headers, html: await res.text() }
  }

  get(path: string) {
    return this.request(path)
  }

  post(
    path: string,
    fields: Record<string, string>,
    headers: Record<string, string> = { 'Sec-Fetch-Site': 'same-origin', Origin: 'null' },
  ) {
    return this.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    })
  }

  hasCookie(name: string) {
    return this.cookies.some((c) => c.name === name)
  }
}

export function csrfOf(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html)
  if (!match?.[1]) throw new Error('no csrf field on the page')
  return match[1]
}

/** Visible text of a page, tags removed, for asserting on what a person reads. */
export function textOf(html: string): string {
  return html
    .replace(/<head>[\s\S]*?<\/head>/, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;|&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
}
