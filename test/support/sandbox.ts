import { systemClock } from '../../src/clock.ts'
import { createLogger } from '../../src/log/logger.ts'
import { createSandbox, type Sandbox } from '../../src/sandbox/app.ts'
import { memoryStore } from '../../src/sandbox/store.ts'
import type { Loose } from './client.ts'

export const SANDBOX_CREDENTIALS = { appId: 'test-app', secretKey: 'test-secret' }
export const SANDBOX_HEADERS = { 'app-id': 'test-app', 'secret-key': 'test-secret' }

/** A sandbox with 1/1000 time: settles in 2 ms, retries callbacks 0.9 s apart. */
export function testSandbox(
  options: { timeScale?: number; balanceMinor?: number; cashbackMode?: boolean } = {},
): Sandbox {
  return createSandbox({
    store: memoryStore(options.balanceMinor ?? 1_000_000_000),
    clock: systemClock,
    timeScale: options.timeScale ?? 0.001,
    fetch: globalThis.fetch,
    logger: createLogger({ level: 'silent', write: () => {} }),
    credentials: SANDBOX_CREDENTIALS,
    cashbackMode: options.cashbackMode,
  })
}

export async function sandboxCall(
  sandbox: Sandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = SANDBOX_HEADERS,
) {
  const res = await sandbox.app.request(path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  })
  return { status: res.status, body: (await res.json()) as Record<string, Loose> }
}

export function withdrawal(
  overrides: Record<string, unknown> = {},
  params?: Record<string, unknown>,
  receiverUrl = 'http://127.0.0.1:9/none',
) {
  return {
    user_id: 'customer-1',
    client_transaction_id: `tx-${crypto.randomUUID()}`,
    cashback_transaction_detail: {
      payment_description: 'Cashout test',
      currency: 'AUD',
      amount: 1234,
      payout_method_name: params && 'payid' in params ? 'au_payid_npp_aud' : 'au_bank_npp_aud',
      payout_method_params: params ?? { bsb: '572505', account_number: '76273288' },
    },
    webhook_notification: {
      endpoint_url: `${receiverUrl}/callback`,
      authorization_headers: 'Bearer token-1',
    },
    ...overrides,
  }
}
