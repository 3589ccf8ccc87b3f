import type { Context } from 'hono'
import { ClaimDetailPage } from '../../../views/console/claim-detail.tsx'
import { ClaimsPage } from '../../../views/console/claims.tsx'
import { cancelClaim } from '../../claims/cancel.ts'
import { claimsCsv, claimsCsvFilename } from '../../claims/export.ts'
import { listProviderClaims, UUID } from '../../claims/read.ts'
import { claimTimeline } from '../../claims/timeline.ts'
import { DomainError, isDomainError } from '../../errors/domain-error.ts'
import { csvHeaders } from '../../http/csv.ts'
import { createRouter } from '../../http/router.ts'
import { claimDetailModel, claimListModel, parseClaimFilters } from '../claims-model.ts'
import {
  assertCan,
  type ConsoleEnv,
  can,
  memberChrome,
  readForm,
  render,
  requireMember,
} from '../http.ts'

type Ctx = Context<ConsoleEnv>

const PAGE_SIZE = 50

/** The uuid in the path, or the 404 a missing claim gets (never a database error). */
function claimIdOf(c: Ctx): string {
  const uuid = (c.req.param('uuid') ?? '').toLowerCase()
  if (!UUID.test(uuid)) {
    throw new DomainError('not_found', { message: 'There is no claim with that uuid.' })
  }
  return uuid
}

async function detailPage(
  c: Ctx,
  claimId: string,
  notice?: { kind: 'success' | 'warning'; text: string },
  status: 200 | 409 = 200,
) {
  const { deps } = c.var
  const { scope, role } = c.var.console
  const timeline = await claimTimeline({ deps, scope, claimId })
  const model = claimDetailModel({
    timeline,
    timeZone: deps.config.displayTimeZone,
    canCancel: can(role, 'claims.cancel'),
    notice,
  })
  return render(c, ClaimDetailPage({ chrome: memberChrome(c, 'claims'), model }), status)
}

/** The claims section: the filtered list, one claim's story, cancel, and the CSV export. */
export function consoleClaimsRoutes() {
  return createRouter<ConsoleEnv>()
    .get('/console/claims', requireMember, async (c) => {
      const { deps } = c.var
      const timeZone = deps.config.displayTimeZone
      const { values, filter, cursor, errors } = parseClaimFilters(c.req.query(), timeZone)
      let page: Awaited<ReturnType<typeof listProviderClaims>> = { claims: [], nextCursor: null }
      if (Object.keys(errors).length === 0) {
        try {
          page = await listProviderClaims({
            deps,
            scope: c.var.console.scope,
            query: { ...filter, cursor, limit: PAGE_SIZE },
          })
        } catch (error) {
          if (!isDomainError(error, 'validation_failed')) throw error
          // The filters were checked above; what is left is the cursor of an edited page link.
          errors.form = 'That page link is not one this console made. Start from the first page.'
        }
      }
      const model = claimListModel({
        claims: page.claims,
        nextCursor: page.nextCursor,
        values,
        paged: cursor !== undefined,
        errors,
        timeZone,
      })
      const status = Object.keys(errors).length > 0 ? 422 : 200
      return render(c, ClaimsPage({ chrome: memberChrome(c, 'claims'), model }), status)
    })
    .get('/console/claims.csv', requireMember, async (c) => {
      const { deps } = c.var
      const timeZone = deps.config.displayTimeZone
      const { values, filter, errors } = parseClaimFilters(c.req.query(), timeZone)
      if (Object.keys(errors).length > 0) {
        const model = claimListModel({
          claims: [],
          nextCursor: null,
          values,
          paged: false,
          errors,
          timeZone,
        })
        return render(c, ClaimsPage({ chrome: memberChrome(c, 'claims'), model }), 422)
      }
      const { scope } = c.var.console
      const body = await claimsCsv({ deps, scope, filter })
      return c.body(body, 200, csvHeaders(claimsCsvFilename(scope, deps.clock.now())))
    })
    .get('/console/claims/:uuid', requireMember, async (c) => {
      const notice =
        c.req.query('cancelled') !== undefined
          ? { kind: 'success' as const, text: 'Claim cancelled. Its cash is back in your float.' }
          : undefined
      return detailPage(c, claimIdOf(c), notice)
    })
    .post('/console/claims/:uuid/cancel', requireMember, async (c) => {
      await readForm(c)
      assertCan(c, 'claims.cancel')
      const claimId = claimIdOf(c)
      const { scope, actor } = c.var.console
      try {
        await cancelClaim({ deps: c.var.deps, scope, claimId, actor })
      } catch (error) {
        if (!isDomainError(error, 'claim_not_open')) throw error
        return detailPage(
          c,
          claimId,
          { kind: 'warning', text: `${error.message} Nothing was changed.` },
          409,
        )
      }
      return c.redirect(`/console/claims/${claimId}?cancelled=1`, 303)
    })
}
