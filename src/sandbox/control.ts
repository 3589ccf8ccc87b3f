import type { Context } from 'hono'
import { batchView } from './batch-view.ts'
import { hcFieldErrors, isObject, readJson } from './http.ts'
import { MAGIC_TABLE } from './magic.ts'
import type { SandboxRuntime } from './runtime.ts'

/**
 * The sandbox's own routes (not part of Hello Clever's API): what it paid, what it sent, and a
 * way to set the merchant balance. Tests and the demo use them to check the rail's side.
 */
export function controlRoutes(
  rt: SandboxRuntime,
  credentials: { appId: string; secretKey: string },
) {
  return {
    state: (c: Context) =>
      c.json({
        balance_minor: rt.state.balanceMinor,
        requests: { ...rt.state.requests },
        withdrawals: Object.keys(rt.state.withdrawals).length,
        batches: Object.keys(rt.state.batches).length,
        payment_requests: Object.keys(rt.state.paymentRequests).length,
        queued_callbacks: rt.state.callbacks.length,
        deliveries: rt.state.deliveries.length,
      }),

    setBalance: async (c: Context) => {
      const parsed = await readJson(c)
      const value = parsed.ok && isObject(parsed.body) ? parsed.body.balance_minor : undefined
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
        return hcFieldErrors(c, 422, {
          balance_minor: 'must be a whole number of minor units, 0 or more',
        })
      }
      rt.state.balanceMinor = value
      rt.store.changed()
      rt.onTopUp()
      return c.json({ balance_minor: rt.state.balanceMinor })
    },

    /** Strict mode: sets one customer's cashback balance. */
    setCashback: async (c: Context) => {
      const parsed = await readJson(c)
      const body = parsed.ok && isObject(parsed.body) ? parsed.body : {}
      const value = body.balance_minor
      if (
        typeof body.user_id !== 'string' ||
        body.user_id === '' ||
        typeof value !== 'number' ||
        !Number.isSafeInteger(value) ||
        value < 0
      ) {
        return hcFieldErrors(c, 422, {
          user_id: 'must be a user id',
          balance_minor: 'must be a whole number of minor units, 0 or more',
        })
      }
      rt.state.cashback[body.user_id] = value
      rt.store.changed()
      return c.json({ user_id: body.user_id, balance_minor: value })
    },

    /** Changes the app-id and secret-key the API accepts (this route's own included). */
    setCredentials: async (c: Context) => {
      const parsed = await readJson(c)
      const body = parsed.ok && isObject(parsed.body) ? parsed.body : {}
      // Empty values would let a request with no headers through.
      if (
        typeof body.app_id !== 'string' ||
        typeof body.secret_key !== 'string' ||
        body.app_id === '' ||
        body.secret_key === ''
      ) {
        return hcFieldErrors(c, 422, { app_id: "can't be blank", secret_key: "can't be blank" })
      }
      credentials.appId = body.app_id
      credentials.secretKey = body.secret_key
      return c.json({ app_id: credentials.appId })
    },

    /** v1 and v2 batches, by external_id when given: what an operator finds in the portal. */
    batches: (c: Context) => {
      const externalId = c.req.query('external_id')
      const batches = Object.values(rt.state.batches).filter(
        (b) => externalId === undefined || b.externalId === externalId,
      )
      return c.json({ batches: batches.map(batchView) })
    },

    withdrawal: (c: Context) => {
      const id = c.req.param('id') ?? ''
      const w = Object.hasOwn(rt.state.withdrawals, id) ? rt.state.withdrawals[id] : undefined
      return c.json({
        client_transaction_id: id,
        payouts_made: w ? 1 : 0,
        requests: w?.requests ?? 0,
        withdrawal_id: w?.withdrawalId ?? null,
        status: w?.status ?? null,
        amount_minor: w?.amountMinor ?? null,
        error_code: w?.errorCode ?? null,
      })
    },

    withdrawals: (c: Context) =>
      c.json({
        withdrawals: Object.values(rt.state.withdrawals).map((w) => ({
          client_transaction_id: w.clientTransactionId,
          withdrawal_id: w.withdrawalId,
          status: w.status,
          amount_minor: w.amountMinor,
          requests: w.requests,
        })),
      }),

    deliveries: (c: Context) => {
      const origin = c.req.query('origin')
      return c.json({
        deliveries: rt.state.deliveries.filter((d) => !origin || d.origin === origin),
        queued: rt.state.callbacks.filter((j) => !origin || j.origin === origin).length,
      })
    },

    magic: (c: Context) => c.json({ inputs: MAGIC_TABLE }),
  }
}
