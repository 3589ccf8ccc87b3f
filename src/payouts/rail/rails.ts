import type { Config } from '../../config.ts'
import { type Rails, railChannel } from './circuit.ts'
import { helloCleverRail } from './hello-clever.ts'

/**
 * Each mode's way out: test mode always through the sandbox (in this process or standalone),
 * live mode through Hello Clever where RAIL=hello-clever, and nowhere otherwise. Both speak the
 * same API over HTTP, so test mode rehearses exactly what live mode does.
 */
export function buildRails(
  config: Pick<Config, 'testRail' | 'liveRail' | 'railTimeoutMs'>,
  options: { sandboxBaseUrl: string; fetch: typeof fetch },
): Rails {
  const client = (baseUrl: string, appId: string, secretKey: string) =>
    helloCleverRail({
      baseUrl,
      appId,
      secretKey,
      timeoutMs: config.railTimeoutMs,
      fetch: options.fetch,
    })
  const { testRail, liveRail } = config
  return {
    test: railChannel(
      'sandbox',
      client(options.sandboxBaseUrl, testRail.appId, testRail.secretKey),
    ),
    live: liveRail
      ? railChannel('hello-clever', client(liveRail.baseUrl, liveRail.appId, liveRail.secretKey))
      : undefined,
  }
}
