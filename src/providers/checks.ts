import type { AppDeps } from '../deps.ts'
import { DomainError, type FieldError } from '../errors/domain-error.ts'
import { expiryProblem } from './card.ts'
import { checkEndpoint } from './endpoint.ts'

/**
 * The checks that need the clock, the operator's policy or DNS, reported like schema errors.
 * A name that resolves inside our network is refused here; every send checks again.
 */
export async function cardAndEndpointProblems(
  deps: Pick<AppDeps, 'clock' | 'config' | 'webhooks'>,
  input: { expDate?: string; endpoint?: string },
): Promise<{ endpoint?: string }> {
  const problems: FieldError[] = []
  const result: { endpoint?: string } = {}
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
