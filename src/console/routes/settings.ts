import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { type SettingsModel, SettingsPage } from '../../../views/console/settings.tsx'
import { isDomainError } from '../../errors/domain-error.ts'
import { createRouter } from '../../http/router.ts'
import { displayName } from '../../page/claim-page.ts'
import { displayTime } from '../../page/format.ts'
import {
  type AppearanceChange,
  accentStylesheetPath,
  changeAppearance,
  contactLink,
  contrastRatio,
  formatRatio,
  MIN_CONTRAST,
} from '../../providers/appearance.ts'
import { findProviderSettings } from '../../providers/repository.ts'
import {
  REVIEWED_FIELDS,
  type ReviewedField,
  reviewState,
  reviewView,
} from '../../providers/review.ts'
import {
  assertCan,
  type ConsoleEnv,
  can,
  fieldErrors,
  memberChrome,
  readForm,
  render,
  requireMember,
} from '../http.ts'

type Ctx = Context<ConsoleEnv>

const NOTICES: Record<string, string> = {
  saved:
    'Saved. Every open claim link shows the change now (a new display name or support contact once the operator approves it).',
}

async function showPage(
  c: Ctx,
  sent?: { values: SettingsModel['values']; errors: Record<string, string> },
  status: ContentfulStatusCode = 200,
) {
  const { deps } = c.var
  const { provider, role } = c.var.console
  const saved = await findProviderSettings(deps.db, provider.id)
  const accent = saved.accent_colour
  const model: SettingsModel = {
    values: sent?.values ?? {
      display_name: saved.display_name ?? '',
      accent_colour: accent ?? '',
      support_contact: saved.support_contact ?? '',
    },
    errors: sent?.errors ?? {},
    canEdit: can(role, 'settings.edit'),
    notice: NOTICES[c.req.query('done') ?? ''],
    suspended: saved.suspended_at
      ? `The operator suspended this provider on ${displayTime(saved.suspended_at, deps.config.displayTimeZone)}${saved.suspended_reason ? ` (${saved.suspended_reason})` : ''}. New claims are refused and open claim links show as unavailable until the operator resumes it.`
      : undefined,
    defaultName: displayName(saved.name),
    reviews: REVIEWED_FIELDS.flatMap((field) => reviewOf(saved, field) ?? []),
    preview: {
      // What customers see: the approved name, not one still waiting for the operator.
      name: saved.display_name_approved ?? displayName(saved.name),
      stylesheet: accent ? accentStylesheetPath(provider.id, accent) : undefined,
      support: saved.support_contact_approved
        ? contactLink(saved.support_contact_approved)
        : undefined,
      contrast: accent
        ? `White text on ${accent}: ${formatRatio(contrastRatio(accent, '#ffffff'))}:1 (${MIN_CONTRAST}:1 needed).`
        : undefined,
    },
  }
  return render(c, SettingsPage({ chrome: memberChrome(c, 'settings'), model }), status)
}

/** Where a display name or support contact asked for stands with the operator, in words. */
function reviewOf(
  saved: Awaited<ReturnType<typeof findProviderSettings>>,
  field: ReviewedField,
): string | undefined {
  const view = reviewView(field, saved.name, reviewState(saved, field))
  const { requested, shown } = view
  if (view.status === 'none' || view.status === 'approved') return undefined
  const sees = shown === null ? 'no contact' : `“${shown}”`
  if (view.status === 'rejected') {
    return `The operator did not approve “${requested}”: ${view.rejected_reason}. Customers see ${sees}.`
  }
  const why =
    field === 'display_name'
      ? 'a name customers trust must be checked first'
      : 'a contact beside a payout form must be checked first'
  return `“${requested}” is waiting for the operator’s review, since ${why}. Until then customers see ${sees}.`
}

/** An empty field clears the setting; the form cannot send null. */
const orNull = (raw: string | undefined) => {
  const value = (raw ?? '').trim()
  return value === '' ? null : value
}

/** The display name, accent colour and support contact the claim page shows. */
export function consoleSettingsRoutes() {
  return createRouter<ConsoleEnv>()
    .get('/console/settings', requireMember, (c) => showPage(c))
    .post('/console/settings', requireMember, async (c) => {
      const form = await readForm(c)
      assertCan(c, 'settings.edit')
      const change: AppearanceChange = {
        display_name: orNull(form.display_name),
        accent_colour: orNull(form.accent_colour),
        support_contact: orNull(form.support_contact),
      }
      try {
        await changeAppearance({
          deps: c.var.deps,
          providerId: c.var.console.provider.id,
          actor: c.var.console.actor,
          change,
        })
      } catch (error) {
        if (!isDomainError(error, 'validation_failed')) throw error
        const values = {
          display_name: (form.display_name ?? '').trim(),
          accent_colour: (form.accent_colour ?? '').trim(),
          support_contact: (form.support_contact ?? '').trim(),
        }
        return showPage(c, { values, errors: fieldErrors(error.details) }, 422)
      }
      return c.redirect('/console/settings?done=saved', 303)
    })
}
