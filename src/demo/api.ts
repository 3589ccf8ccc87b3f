/** A failure the person running the demo can act on: what went wrong and what to do. */
export class DemoError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'DemoError'
  }
}

export interface Reply {
  status: number
  body: Record<string, unknown>
}

/** Calls the Cashout API over HTTP as a provider's backend would. */
export function cashoutApi(baseUrl: string) {
  return async function call(
    method: string,
    path: string,
    options: { key?: string; body?: unknown } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {}
    if (options.key) headers.Authorization = `Bearer ${options.key}`
    if (options.body !== undefined) headers['Content-Type'] = 'application/json'
    let res: Response
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(15_000),
      })
    } catch {
      throw new DemoError(
        `Cashout is not answering at ${baseUrl}. Start it in another terminal with \`npm start\`, or set CASHOUT_URL to where it runs.`,
      )
    }
    const text = await res.text()
    let body: Record<string, unknown> = {}
    try {
      body = text ? (JSON.parse(text) as Record<string, unknown>) : {}
    } catch {
      body = { message: text.slice(0, 200) }
    }
    return { status: res.status, body }
  }
}

export type CashoutApi = ReturnType<typeof cashoutApi>

/** Turns an unexpected reply into a DemoError that quotes the server's own message. */
export function expectStatus(reply: Reply, status: number, doing: string): Record<string, unknown> {
  if (reply.status === status) return reply.body
  const message = typeof reply.body.message === 'string' ? reply.body.message : 'no message'
  const details = Array.isArray(reply.body.details)
    ? ` (${(reply.body.details as { field?: string; message?: string }[])
        .map((d) => `${d.field}: ${d.message}`)
        .join('; ')})`
    : ''
  throw new DemoError(`Could not ${doing}: HTTP ${reply.status}, ${message}${details}`)
}
