import type { Config } from '../config.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError, type FieldError } from '../errors/domain-error.ts'
import { classifyAddress } from '../net/ip.ts'
import { expiryProblem, isKnownTestPan, isPlaceholderIpin } from './card.ts'
import { checkEndpoint } from './endpoint.ts'

/**
 * The checks that need the clock, the operator's policy or DNS, reported like schema errors.
 * A name that resolves inside our network is refused here; every send checks again.
 */
export async function cardAndEndpointProblems(
  deps: Pick<AppDeps, 'clock' | 'config' | 'webhooks'>,
  input: { pan?: string; expDate?: string; ipin?: string; endpoint?: string },
): Promise<{ endpoint?: string }> {
  const problems: FieldError[] = []
  const result: { endpoint?: string } = {}
  if (input.pan !== undefined && isKnownTestPan(input.pan) && paysRealMoney(deps.config)) {
    problems.push({
      field: 'pan',
      message:
        'Is a published test card number. This deployment issues live keys, which pay real money, so it needs a real card.',
    })
  }
  if (input.ipin !== undefined && isPlaceholderIpin(input.ipin) && paysRealMoney(deps.config)) {
    problems.push({
      field: 'ipin',
      message:
        'Is a PIN anyone would guess first (one digit repeated, or digits in a row). This deployment issues live keys, which pay real money: use the card’s own IPIN.',
    })
  }
  if (input.expDate !== undefined) {
    const problem = expiryProblem(input.expDate, deps.clock.now())
    if (problem) problems.push({ field: 'expDate', message: problem })
  }
  if (input.endpoint !== undefined) {
    const checked = checkEndpoint(input.endpoint, {
      allowLoopback: deps.config.allowLoopbackEndpoints,
    })
    if (!checked.ok) problems.push({ field: 'endpoint', message: checked.message })
    else if (!(await deps.webhooks.vet(checked.url))) {
      problems.push({
        field: 'endpoint',
        message: 'Must not point at a private or internal address.',
      })
    } else result.endpoint = checked.url
  }
  if (problems.length > 0) throw new DomainError('validation_failed', { details: problems })
  return result
}

/**
 * Whether this deployment's live keys pay real money: a live rail that is not on this machine.
 * Every provider's one card serves both modes, and every registration here gets a live key. A
 * live rail on loopback is a rehearsal against a local sandbox, where test cards are the point.
 */
export function paysRealMoney(config: Pick<Config, 'liveRail'>): boolean {
  if (!config.liveRail) return false
  const host = new URL(config.liveRail.baseUrl).hostname
  return host !== 'localhost' && classifyAddress(host) !== 'loopback'
}
