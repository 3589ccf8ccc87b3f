import { createRoute, z } from '@hono/zod-openapi'
import { actorOf, type ProviderEnv } from '../http/env.ts'
import { noBody } from '../http/no-body.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { asProvider, assertAccountKey } from '../keys/auth.ts'
import { issueLink } from './links.ts'

const SetupLink = z
  .object({
    console_setup_url: z.string().url().openapi({
      description: 'Opens the console to create an owner. Works once, for 7 days.',
    }),
    expires_at: z.string().datetime(),
  })
  .openapi('ConsoleSetupLink')

const setupLink = createRoute({
  ...asProvider,
  middleware: [...asProvider.middleware, noBody],
  method: 'post',
  path: '/cashout/console/setup-link',
  operationId: 'createConsoleSetupLink',
  tags: ['Providers'],
  summary: 'Make a console setup link',
  description:
    'A new one-time link that creates an owner of your console, for when the first one lapsed or every owner lost access. Earlier links stay valid until used or expired. Once you have a live key, only a live key may ask.',
  responses: {
    201: json(SetupLink, 'The link, shown this once.'),
    ...errorResponses(401, 403, 422),
  },
})

/** The console's endpoints for machines (API key). */
export function consoleApiRoutes() {
  return createRouter<ProviderEnv>().openapi(setupLink, async (c) => {
    const { deps, provider } = c.var
    await assertAccountKey(deps, provider)
    const link = await issueLink(deps.db, {
      providerId: provider.id,
      kind: 'setup',
      role: 'owner',
      actor: actorOf(provider),
      publicUrl: deps.config.publicUrl,
      now: deps.clock.now(),
    })
    return c.json({ console_setup_url: link.url, expires_at: link.expiresAt.toISOString() }, 201)
  })
}
