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

/**
 * The provider every route is driven with: registered, its test float credited far beyond what a
 * run spends, and a one-point-one-cent rule whose claims last a day. Returns its registration.
 */
export async function benchProvider(baseUrl: string, operatorToken: string, name = 'bench') {
  const api = apiClient(baseUrl)
  const provider = await api('POST', '/cashout/register', undefined, {
    name,
    pan: '4000000000000002',
    expDate: '3912',
    ipin: '1234',
    consent: true,
    endpoint: 'http://127.0.0.1:9/unused',
  })
  await api('POST', `/operator/providers/${name}/credit`, operatorToken, {
    livemode: false,
    amount_minor: 1_000_000_000_000,
    reference: 'bench',
  })
  await api('PUT', '/cashout/rules', String(provider.api_key), {
    rate: { points: 1, cash_minor: 1 },
    claim_lifetime_seconds: 86_400,
  })
  return provider
}
