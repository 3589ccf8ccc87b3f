/** A JSON client for the setup calls the benchmark makes; any answer outside 2xx stops the run. */
export function apiClient(baseUrl: string) {
  return async (method: string, path: string, bearer: string | undefined, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        'Content-Type': 'application/json',
        ...(bearer ? { Authorization: `Bearer ${bearer}` } : {}),
      },
      body: JSON.stringify(body),
    })
    const reply = (await res.json()) as Record<string, unknown>
    if (res.status >= 300)
      throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(reply)}`)
    return reply
  }
}
