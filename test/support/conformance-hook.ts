import { inject } from 'vitest'
import type { WebhookTransport } from '../../src/webhooks/transport.ts'
import {
  type ConformanceChecker,
  conformanceChecker,
  describeNonconformance,
  type Nonconformance,
} from './conformance.ts'

/**
 * The checker for this test file, built on its first response from the document global-setup
 * read once per run (building that document costs a few hundred milliseconds, far more than a
 * test file should pay). Test files run in their own module graph, so this is per file.
 */
let checker: ConformanceChecker | undefined

/**
 * Every nonconformance met since setup-file.ts last looked. A response that breaks the
 * document fails its request; this list also catches one whose error was swallowed on the way
 * (the sandbox calling the rail callback), so the test that made it fails all the same.
 */
const met: Nonconformance[] = []

export class NonconformanceError extends Error {
  constructor(readonly found: Nonconformance) {
    super(describeNonconformance(found))
    this.name = 'NonconformanceError'
  }
}

interface Fetching {
  fetch: (request: Request, ...rest: never[]) => Response | Promise<Response>
}

/**
 * Makes every response of `app` answer to the OpenAPI document: `app.request` calls
 * `app.fetch`, so replacing `fetch` on the instance covers both. A response that does not
 * conform rejects the call with a message naming the request, the status and each problem.
 * There is no way around it, on purpose: no test needs one (a test that breaks a dependency
 * still gets declared answers, `/readyz` 503), and requests to paths outside the document
 * (pages, probes a test mounts) are not checked at all.
 */
export function holdToDocument<A extends Fetching>(app: A): A {
  const fetch = app.fetch.bind(app) as (request: Request, ...rest: unknown[]) => Promise<Response>
  const checked = async (request: Request, ...rest: unknown[]) => {
    const { method, url } = request
    const response = await fetch(request, ...rest)
    checker ??= conformanceChecker(inject('openapi'))
    const found = await checker.check(method, new URL(url).pathname, response)
    if (!found) return response
    met.push(found)
    throw new NonconformanceError(found)
  }
  app.fetch = checked as A['fetch']
  return app
}

/**
 * Holds every webhook a test app sends to the document's `webhooks` section, whatever
 * transport the test gave: a body the document does not describe is refused before it leaves
 * (the worker logs it as a failed send) and fails the test that made it (setup-file.ts).
 */
export function holdWebhooksToDocument<T extends WebhookTransport>(transport: T): T {
  return {
    ...transport,
    vet: transport.vet.bind(transport),
    post: async (url: string, headers: Record<string, string>, body: string) => {
      checker ??= conformanceChecker(inject('openapi'))
      const found = checker.checkWebhook(url, headers, body)
      if (found) {
        met.push(found)
        throw new NonconformanceError(found)
      }
      return transport.post(url, headers, body)
    },
  }
}

/** Empties the list of nonconformances met since the last call and returns what it held. */
export function takeNonconformances(): Nonconformance[] {
  return met.splice(0)
}
