import type { Context } from 'hono'
import { hcFieldErrors, isObject, readJson } from './http.ts'
import { MAGIC_TABLE } from './magic.ts'
import type { SandboxRuntime } from './runtime.ts'

/**
 * The sandbox's own routes (not part of Hello Clever's API): what it paid, what it sent, and a
 * way to set the merchant balance. Tests and the demo use them to check the rail's side.
 */
export function controlRoutes(rt: SandboxRuntime) {
  return {
    state: (c: Context) =>
      c.json({
        balance_minor: rt.state.balanceMinor,
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
