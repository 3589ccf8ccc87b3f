import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Clock } from '../clock.ts'
import type { Logger } from '../log/logger.ts'
import {
  createPayoutHandler,
  payoutDetailHandler,
  resumeBatches,
  retryWaitingBatches,
} from './batches.ts'
import { controlRoutes } from './control.ts'
import { hcAuth, hcError } from './http.ts'
import {
  completeRefunds,
  createPaymentHandler,
  paymentStatusHandler,
  refundHandler,
  simulatePaymentHandler,
} from './payment-requests.ts'
import { payoutMethodParamsHandler, payoutMethodsHandler } from './payout-methods.ts'
import { SandboxRuntime } from './runtime.ts'
import type { SandboxStore } from './store.ts'
import { armWithdrawal, withdrawHandler } from './withdraw.ts'

export interface SandboxOptions {
  store: SandboxStore
  clock: Clock
  /** 1 is real time; 0.001 turns Hello Clever's 15-minute callback retries into 0.9 s. */
  timeScale: number
  fetch: typeof fetch
  logger: Logger
  credentials: { appId: string; secretKey: string }
  merchantName?: string
  /** Strict withdraw: a user_id must hold enough cashback, as the withdraw document says. */
  cashbackMode?: boolean
}

export interface Sandbox {
  app: Hono
  runtime: SandboxRuntime
  /** Re-arms callbacks that were queued when the sandbox last stopped. */
  start(): void
  stop(): Promise<void>
}

/**
 * A simulator of the Hello Clever API, faithful to its documents: the same paths, auth headers,
 * validation, units, statuses, callbacks and retries, with documented inputs that force outcomes.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const rt = new SandboxRuntime(options)
  // A copy the control routes may change, to rehearse credentials Hello Clever stops accepting.
  const credentials = { ...options.credentials }
  const control = controlRoutes(rt, credentials)
  const auth = hcAuth(credentials)
  const app = new Hono()
  app.use(
    '*',
    bodyLimit({
      maxSize: 1024 * 1024,
      onError: (c) => hcError(c, 400, 'PAYLOAD_TOO_LARGE', 'The request body is too large.'),
    }),
  )
  // Every request to Hello Clever's API is counted, refused ones too, so a run can see its calls.
  app.use('/api/*', async (c, next) => {
    rt.count(`${c.req.method} ${c.req.path}`)
    await next()
  })
  app.use('/api/*', auth)
  app.use('/sandbox/*', auth)
  app.post(
    '/api/v2/cashbacks/withdraw',
    withdrawHandler(rt, options.merchantName ?? 'Cashout Sandbox'),
  )
  app.post('/api/v1/payouts', createPayoutHandler(rt, 1))
  app.get('/api/v1/payouts/detail', payoutDetailHandler(rt, 1))
  app.post('/api/v2/payouts', createPayoutHandler(rt, 2))
  app.get('/api/v2/payouts/detail', payoutDetailHandler(rt, 2))
  app.get('/api/v2/payouts/payout_methods', payoutMethodsHandler())
  app.get('/api/v2/payouts/payout_method/params', payoutMethodParamsHandler())
  app.post('/api/v1/merchants/create_payment', createPaymentHandler(rt))
  app.get('/api/v1/payment_requests/status', paymentStatusHandler(rt))
  app.post('/api/v1/payment_requests/refund', refundHandler(rt))
  app.get('/sandbox/state', control.state)
  app.post('/sandbox/balance', control.setBalance)
  app.get('/sandbox/withdrawals', control.withdrawals)
  app.get('/sandbox/withdrawals/:id', control.withdrawal)
  app.get('/sandbox/batches', control.batches)
  app.post('/sandbox/cashback', control.setCashback)
  app.post('/sandbox/credentials', control.setCredentials)
  app.get('/sandbox/deliveries', control.deliveries)
  app.get('/sandbox/magic', control.magic)
  app.post('/sandbox/payment_requests/:id/pay', simulatePaymentHandler(rt))
  app.notFound((c) => hcError(c, 404, 'NOT_FOUND', 'Not found'))
  app.onError((error, c) => {
    options.logger.error('sandbox request failed', { error })
    return c.json({ errors: { code: 'INTERNAL_ERROR', message: 'Something went wrong.' } }, 500)
  })
  rt.onTopUp = () => {
    retryWaitingBatches(rt)
    completeRefunds(rt)
  }
  const start = () => {
    rt.resume()
    for (const record of Object.values(rt.state.withdrawals)) armWithdrawal(rt, record)
    resumeBatches(rt)
    completeRefunds(rt)
  }
  return { app, runtime: rt, start, stop: () => rt.stop() }
}
