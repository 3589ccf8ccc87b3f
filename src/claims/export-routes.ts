import { createRoute, z } from '@hono/zod-openapi'
import { csvHeaders } from '../http/csv.ts'
import { type ProviderEnv, scopeOf } from '../http/env.ts'
import { errorResponses } from '../http/openapi.ts'
import { createRouter } from '../http/router.ts'
import { text } from '../http/text.ts'
import { asProvider } from '../keys/auth.ts'
import { CLAIM_CSV_HEADER, claimsCsv, claimsCsvFilename } from './export.ts'
import { ClaimListQuery } from './schemas.ts'

/** The claim list's filters, without paging (the file holds every match), plus a reference. */
const ExportQuery = ClaimListQuery.omit({ cursor: true, limit: true }).extend({
  reference: text(200)
    .optional()
    .openapi({ description: 'Only the claim with this reference of yours, or with this uuid.' }),
})

const exportCsv = createRoute({
  ...asProvider,
  method: 'get',
  path: '/cashout/claims.csv',
  operationId: 'exportClaims',
  tags: ['Claims'],
  summary: 'Export claims as CSV',
  description: `Every claim matching the filters, newest first, in your key's mode, as an RFC 4180 file streamed in pages (any number of rows). Columns: ${CLAIM_CSV_HEADER.map((h) => `\`${h}\``).join(', ')}. Amounts are decimal dollars (\`12.34\`), times ISO 8601 UTC, the payout destination masked. A text cell starting with \`=\`, \`+\`, \`-\` or \`@\` is prefixed with \`'\` so spreadsheets never run it as a formula.`,
  request: { query: ExportQuery },
  responses: {
    200: {
      description: 'The claims as CSV (`Content-Disposition: attachment`).',
      content: { 'text/csv': { schema: z.string() } },
    },
    ...errorResponses(401, 422),
  },
})

/** GET /cashout/claims.csv, the filtered claims as CSV. */
export function claimExportRoutes() {
  return createRouter<ProviderEnv>().openapi(exportCsv, async (c) => {
    const { provider, deps } = c.var
    const q = c.req.valid('query')
    const scope = scopeOf(provider)
    const body = await claimsCsv({
      deps,
      scope,
      filter: {
        status: q.status,
        customerId: q.customer_id,
        createdAfter: q.created_after ? new Date(q.created_after) : undefined,
        createdBefore: q.created_before ? new Date(q.created_before) : undefined,
        reference: q.reference,
      },
    })
    return c.body(body, 200, csvHeaders(claimsCsvFilename(scope, deps.clock.now())))
  })
}
