import type { AppDeps } from '../deps.ts'
import { DomainError } from '../errors/domain-error.ts'

/** The window of the send budget: WEBHOOK_SEND_BUDGET requests per provider per 10 minutes. */
export const SEND_BUDGET_WINDOW_MS = 10 * 60_000

/**
 * Spends one unit of a provider's budget of on-demand sends, or refuses with `rate_limited`
 * and when to try again. Test events, replays and endpoint changes share it, whoever asks (API
 * key or console member), because each makes Cashout send requests (a replay restarts the
 * ten-attempt schedule) to an address the provider chose. Counted per process, like the page's
 * limits. Webhooks of claims are not counted here: each comes from a claim the provider made.
 */
export function spendSendBudget(deps: Pick<AppDeps, 'limiter' | 'config'>, providerId: string) {
  const limit = deps.config.webhookSendBudget
  const verdict = deps.limiter.take(`sends:${providerId}`, limit, SEND_BUDGET_WINDOW_MS)
  if (verdict.ok) return
  throw new DomainError('rate_limited', {
    message: `Too many test events, replays and endpoint changes: together at most ${limit} in 10 minutes. Try again in ${verdict.retryAfterSeconds} seconds.`,
    retryAfterSeconds: verdict.retryAfterSeconds,
  })
}
