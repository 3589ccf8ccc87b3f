import { createRoute } from '@hono/zod-openapi'
import { actorOf, type ProviderEnv } from '../http/env.ts'
import { errorResponses, json } from '../http/openapi.ts'
import { registrationGate } from '../http/registration-gate.ts'
import { createRouter } from '../http/router.ts'
import { asProvider, assertAccountKey } from '../keys/auth.ts'
import { spendSendBudget } from '../webhooks/budget.ts'
import { profileView, updateProfile } from './profile.ts'
import { registerProvider } from './register.ts'
import { findProviderById } from './repository.ts'
import { Profile, ProfileBody, RegisterBody, RegisterResponse } from './schemas.ts'

/** Open registration takes no credential; otherwise the operator's registration token. */
const OPTIONAL_REGISTRATION_TOKEN: Record<string, string[]>[] = [{}, { registrationToken: [] }]

const register = createRoute({
  middleware: [registrationGate],
  security: OPTIONAL_REGISTRATION_TOKEN,
  method: 'post',
  path: '/cashout/register',
  operationId: 'registerProvider',
  tags: ['Providers'],
  summary: 'Register a provider',
  description:
    'The noebs registration. Returns a test API key (test claims pay through the sandbox; no money moves), a live key where this deployment pays through Hello Clever, and the webhook signing secret, each shown this once. The IPIN is checked and discarded, never stored.',
  request: { body: { required: true, content: { 'application/json': { schema: RegisterBody } } } },
  responses: {
    200: json(RegisterResponse, 'Registered.'),
    ...errorResponses(400, 401, 409, 413, 415, 422, 429),
  },
})

const getProfile = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/profile',
  operationId: 'getProfile',
  tags: ['Providers'],
  summary: 'Read your profile',
  responses: { 200: json(Profile, 'Your profile.'), ...errorResponses(401) },
})

const postProfile = createRoute({
  ...asProvider,
  method: 'post',
  path: '/cashout/profile',
  operationId: 'updateProfile',
  tags: ['Providers'],
  summary: 'Change your endpoint, card or claim page',
  description:
    'Send any of `endpoint`; the card fields together (`pan`, `expDate`, `ipin`, `consent`); and what the claim page shows (`display_name`, `accent_colour`, `support_contact`, each `null` to clear). The same checks as registration apply, and a field this request does not know is refused. These settings serve both modes, so once you have a live key only a live key may change them. Each change is in the audit log. A new `endpoint` spends one of the provider’s on-demand sends (shared with test events and replays; `429 rate_limited` with `Retry-After` past it).',
  request: { body: { required: true, content: { 'application/json': { schema: ProfileBody } } } },
  responses: {
    200: json(Profile, 'The updated profile.'),
    ...errorResponses(400, 401, 403, 415, 422, 429),
  },
})

export function providerRoutes() {
  return createRouter<ProviderEnv>()
    .openapi(register, async (c) => {
      const { name, pan, expDate, ipin, endpoint } = c.req.valid('json')
      const { provider, apiKey, liveApiKey, webhookSecret, setupLink } = await registerProvider({
        deps: c.var.deps,
        input: { name, pan, expDate, ipin, endpoint },
      })
      return c.json(
        {
          result: 'ok' as const,
          name: provider.name,
          endpoint: provider.endpoint,
          card_last4: provider.card_last4,
          api_key: apiKey.token,
          api_key_id: apiKey.id,
          live_api_key: liveApiKey?.token ?? null,
          live_api_key_id: liveApiKey?.id ?? null,
          webhook_secret: webhookSecret,
          console_setup_url: setupLink.url,
          console_setup_expires_at: setupLink.expiresAt.toISOString(),
          created_at: provider.created_at.toISOString(),
        },
        200,
      )
    })
    .openapi(getProfile, async (c) => {
      return c.json(profileView(await findProviderById(c.var.deps.db, c.var.provider.id)), 200)
    })
    .openapi(postProfile, async (c) => {
      const body = c.req.valid('json')
      await assertAccountKey(c.var.deps, c.var.provider)
      if (body.endpoint !== undefined) spendSendBudget(c.var.deps, c.var.provider.id)
      const updated = await updateProfile({
        deps: c.var.deps,
        providerId: c.var.provider.id,
        actor: actorOf(c.var.provider),
        input: {
          endpoint: body.endpoint,
          appearance: {
            display_name: body.display_name,
            accent_colour: body.accent_colour,
            support_contact: body.support_contact,
          },
          card:
            body.pan !== undefined && body.expDate !== undefined && body.ipin !== undefined
              ? { pan: body.pan, expDate: body.expDate, ipin: body.ipin }
              : undefined,
        },
      })
      return c.json(profileView(updated), 200)
    })
}
