import { secureHeaders } from 'hono/secure-headers'
import { assetRoutes } from './assets/routes.ts'
import { auditRoutes } from './audit/routes.ts'
import { claimExportRoutes } from './claims/export-routes.ts'
import { claimRoutes } from './claims/routes.ts'
import { consoleApiRoutes } from './console/api.ts'
import { consoleRoutes } from './console/routes.ts'
import type { AppDeps } from './deps.ts'
import { completeDocument } from './docs/complete.ts'
import type { OpenApiDocument } from './docs/reference.ts'
import { docsRoutes } from './docs/routes.ts'
import { createErrorHandler, notFoundHandler } from './errors/handler.ts'
import { healthRoutes } from './health/routes.ts'
import { bodyLimit } from './http/body-limit.ts'
import { requestId } from './http/request-id.ts'
import { requestLog } from './http/request-log.ts'
import { createRouter } from './http/router.ts'
import { keyRoutes } from './keys/routes.ts'
import { balanceRoutes } from './ledger/routes.ts'
import { statementRoutes } from './ledger/statement-routes.ts'
import { operatorPayoutRoutes } from './operator/payouts.ts'
import { operatorRoutes } from './operator/routes.ts'
import { claimPageRoutes } from './page/routes.ts'
import { payoutRoutes } from './payouts/routes.ts'
import { providerRoutes } from './providers/routes.ts'
import { ruleRoutes } from './rules/routes.ts'
import { registerWebhooks } from './webhooks/openapi.ts'
import { webhookRoutes } from './webhooks/routes.ts'

export const MAX_BODY_BYTES = 64 * 1024

const API_DESCRIPTION =
  'Cashout turns loyalty points into money in a customer’s bank account. Providers register, ' +
  'generate claims for their customers, and receive signed webhooks with each result. ' +
  'Every error has the same shape: `{"message", "code", "request_id", "details"?}`.'

/** Builds the whole HTTP app from explicit dependencies; entry points only wire and serve it. */
export function createApp(deps: AppDeps) {
  const app = createRouter()
  app.use(
    '*',
    async (c, next) => {
      c.set('deps', deps)
      await next()
    },
    requestId(),
    requestLog(deps.logger),
    secureHeaders({
      xFrameOptions: 'DENY',
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
      },
    }),
    async (c, next) => {
      await next()
      // On the response's own headers: `c.header` after the handler would copy the response.
      if (!c.res.headers.has('Cache-Control')) c.res.headers.set('Cache-Control', 'no-store')
    },
    bodyLimit(MAX_BODY_BYTES),
  )
  app.onError(createErrorHandler(deps.logger))
  app.notFound(notFoundHandler)

  app.openAPIRegistry.registerComponent('securitySchemes', 'providerKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'Your API key, `ck_…`, as `Authorization: Bearer <key>`.',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'registrationToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'The operator’s registration token (REGISTRATION_TOKEN). Needed to register only while registration is closed; its holder is not rate limited.',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'railCallbackToken', {
    type: 'http',
    scheme: 'bearer',
    description:
      'The random token Cashout gave Hello Clever for this one payout or batch (`authorization_headers`), sent back as `Authorization: Bearer <token>`. Only its hash is stored.',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'webhookSignature', {
    type: 'apiKey',
    in: 'header',
    name: 'webhook-signature',
    description:
      'How your endpoint knows a webhook is from Cashout: Standard Webhooks signatures made with your `whsec_` secret (see each webhook’s headers). Verify before parsing the body.',
  })
  app.openAPIRegistry.registerComponent('securitySchemes', 'operatorToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'The operator token (OPERATOR_TOKEN), as `Authorization: Bearer <token>`.',
  })

  registerWebhooks(app.openAPIRegistry)

  const routes = app
    .route('/', providerRoutes())
    .route('/', claimExportRoutes())
    .route('/', claimRoutes())
    .route('/', payoutRoutes())
    .route('/', ruleRoutes())
    .route('/', balanceRoutes())
    .route('/', keyRoutes())
    .route('/', webhookRoutes())
    .route('/', operatorRoutes())
    .route('/', operatorPayoutRoutes())
    .route('/', consoleApiRoutes())
    .route('/', statementRoutes())
    .route('/', auditRoutes())
    .route('/', healthRoutes())

  let document: OpenApiDocument | undefined
  const getDocument = () => {
    document ??= completeDocument(
      app.getOpenAPI31Document({
        openapi: '3.1.0',
        info: { title: 'Cashout', version: '0.1.0', description: API_DESCRIPTION },
        servers: [{ url: deps.config.publicUrl }],
        tags: [
          { name: 'Providers', description: 'Register and manage your provider account.' },
          { name: 'Claims', description: 'Cashout offers to your customers, one link each.' },
          { name: 'Rules', description: 'How points convert to cash, with fees and caps.' },
          { name: 'Float', description: 'The prefunded balance claims are paid from.' },
          { name: 'Keys', description: 'API keys: several may be active, for rotation.' },
          {
            name: 'Webhooks',
            description:
              'Signed notifications of every claim change (Standard Webhooks), and their log.',
          },
          { name: 'Audit', description: 'Who changed what in your account, and when.' },
          { name: 'Operator', description: 'For whoever runs Cashout.' },
          { name: 'Rail', description: 'Called by the payout rail, not by providers.' },
          { name: 'Health', description: 'Probes for process managers and load balancers.' },
        ],
      }),
    ) as OpenApiDocument
    return document
  }
  routes
    .route('/', docsRoutes(getDocument))
    .route('/', assetRoutes())
    .route('/', claimPageRoutes())
    .route('/', consoleRoutes(deps.logger))
  return routes
}

export type App = ReturnType<typeof createApp>
