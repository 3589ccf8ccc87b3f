import { type Actor, recordAudit } from '../audit/record.ts'
import type { Db, Tx } from '../db/schema.ts'
import { withTx } from '../db/tx.ts'
import type { AppDeps } from '../deps.ts'
import { DomainError, type FieldError } from '../errors/domain-error.ts'
import { hasLoneSurrogate } from '../http/text.ts'
import { containsCardNumber } from '../log/redact.ts'
import { REVIEWED_FIELDS, reviewRequest, spellsPlainName } from './review.ts'

/**
 * What the provider chose for its claim page, as stored; null means "not set". The display name
 * and support contact are the ones asked for: the page shows each once the operator approves it
 * (see review.ts).
 */
export interface Appearance {
  display_name: string | null
  accent_colour: string | null
  support_contact: string | null
}

/** A change: a field left out stays as it is, null clears it. */
export type AppearanceChange = Partial<Appearance>

export const APPEARANCE_FIELDS = ['display_name', 'accent_colour', 'support_contact'] as const

type Checked = { ok: true; value: string } | { ok: false; message: string }
const fail = (message: string): Checked => ({ ok: false, message })

/** WCAG 2.x: normal-size text needs 4.5:1 against its background (success criterion 1.4.3). */
export const MIN_CONTRAST = 4.5
export const DISPLAY_NAME_MAX = 60
const CONTACT_MAX = 200

// Control characters, and the bidirectional overrides that can make a name read as another.
const INVISIBLE = /[\p{Cc}\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u
const NOT_UNICODE = 'Must be valid Unicode text.'
// Both are shown to every customer and kept in clear, so a card number is refused, not masked.
const NO_CARD_NUMBER = 'Must not contain a card number: every customer would see it.'

export function checkDisplayName(raw: string): Checked {
  const value = raw.trim()
  const length = [...value].length
  if (INVISIBLE.test(value)) return fail('Must not contain control or invisible characters.')
  if (hasLoneSurrogate(value)) return fail(NOT_UNICODE)
  if (containsCardNumber(value)) return fail(NO_CARD_NUMBER)
  if (length < 1 || length > DISPLAY_NAME_MAX) {
    return fail(`Must be 1 to ${DISPLAY_NAME_MAX} characters.`)
  }
  return { ok: true, value }
}

/** sRGB channel (0–255) to linear light, as WCAG's relative luminance defines it. */
function linear(channel: number): number {
  const s = channel / 255
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4
}

const HEX = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i

function rgbOf(hex: string): [number, number, number] {
  const m = HEX.exec(hex)
  if (!m) throw new Error(`not a #rrggbb colour: ${hex}`)
  return [m[1], m[2], m[3]].map((h) => Number.parseInt(h ?? '0', 16)) as [number, number, number]
}

/** Relative luminance of a `#rrggbb` colour, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map(linear) as [number, number, number]
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The WCAG contrast ratio of two colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [
    number,
    number,
  ]
  return (hi + 0.05) / (lo + 0.05)
}

/** `4.4999` → `4.49`: rounded down, so a refused colour never reads as if it passed. */
export function formatRatio(ratio: number): string {
  return (Math.floor(ratio * 100) / 100).toFixed(2)
}

/** An accent is the primary button's background, under white text: it must be readable. */
export function checkAccentColour(raw: string): Checked {
  const value = raw.trim().toLowerCase()
  if (!HEX.test(value)) return fail('Must be a colour written #rrggbb, for example #0a5c36.')
  const ratio = contrastRatio(value, '#ffffff')
  if (ratio < MIN_CONTRAST) {
    return fail(
      `White text on ${value} has a contrast ratio of ${formatRatio(ratio)}:1; it needs at least ${MIN_CONTRAST}:1. Choose a darker colour.`,
    )
  }
  return { ok: true, value }
}

const EMAIL = /^[^\s@<>()[\]",;:]+@[^\s@<>()[\]",;:]+\.[^\s@<>()[\]",;:]+$/
const CONTACT_RULE =
  'Enter an email address, an https:// web address or an Australian phone number (like 1300 123 456 or 02 9876 5432).'

/**
 * An Australian number in the form `tel:` dials: landlines and mobiles (0x xxxx xxxx or
 * +61 x xxxx xxxx) become +61…; 13, 1300 and 1800 numbers, which only dial from Australia, stay.
 */
export function australianPhone(raw: string): string | undefined {
  if (!/^\+?[\d ()-]+$/.test(raw)) return undefined
  const digits = raw.replace(/[ ()-]/g, '')
  if (/^\+61[23478]\d{8}$/.test(digits)) return digits
  if (/^0[23478]\d{8}$/.test(digits)) return `+61${digits.slice(1)}`
  if (/^1[38]00\d{6}$/.test(digits) || /^13\d{4}$/.test(digits)) return digits
  return undefined
}

/** One way for a customer to reach the provider: an email, an https page, or a phone number. */
export function checkSupportContact(raw: string): Checked {
  const value = raw.trim().replace(/\s+/g, ' ')
  if (value.length === 0 || value.length > CONTACT_MAX || INVISIBLE.test(value)) {
    return fail(CONTACT_RULE)
  }
  if (hasLoneSurrogate(value)) return fail(NOT_UNICODE)
  if (containsCardNumber(value)) return fail(NO_CARD_NUMBER)
  if (/^https?:\/\//i.test(value)) {
    let url: URL
    try {
      url = new URL(value)
    } catch {
      return fail(CONTACT_RULE)
    }
    if (url.protocol !== 'https:') return fail('Must be an https:// address.')
    if (url.username || url.password) return fail('Must not contain a user name or password.')
    if (!url.hostname.includes('.'))
      return fail('Must use a full host name, like help.example.com.')
    return { ok: true, value: url.href }
  }
  if (value.includes('@')) {
    return EMAIL.test(value)
      ? { ok: true, value }
      : fail('Enter an email address, like help@example.com.')
  }
  return australianPhone(value) ? { ok: true, value } : fail(CONTACT_RULE)
}

/** Where the claim page's "Need help?" goes for a stored contact. */
export function contactLink(contact: string): { text: string; href: string } {
  if (contact.startsWith('https://')) return { text: contact, href: contact }
  if (contact.includes('@')) return { text: contact, href: `mailto:${contact}` }
  return { text: contact, href: `tel:${australianPhone(contact) ?? contact}` }
}

const CHECKS = {
  display_name: checkDisplayName,
  accent_colour: checkAccentColour,
  support_contact: checkSupportContact,
}

/** Checks and normalises a change; every field's problem is reported at once. */
export function checkAppearance(change: AppearanceChange): AppearanceChange {
  const problems: FieldError[] = []
  const checked: AppearanceChange = {}
  for (const field of APPEARANCE_FIELDS) {
    const raw = change[field]
    if (raw === undefined) continue
    if (raw === null) {
      checked[field] = null
      continue
    }
    const result = CHECKS[field](raw)
    if (result.ok) checked[field] = result.value
    else problems.push({ field, message: result.message })
  }
  if (problems.length > 0) throw new DomainError('validation_failed', { details: problems })
  return checked
}

export async function readAppearance(
  db: Db | Tx,
  providerId: string,
): Promise<Appearance | undefined> {
  return db
    .selectFrom('providers')
    .select(APPEARANCE_FIELDS)
    .where('id', '=', providerId)
    .executeTakeFirst()
}

/**
 * Writes an already checked change inside the caller's transaction, with a `settings.changed`
 * audit row naming only the fields that changed. The API's profile update uses it too.
 */
export async function applyAppearance(
  tx: Tx,
  input: { providerId: string; actor: Actor; change: AppearanceChange; now: Date },
): Promise<Appearance> {
  const { name, ...current } = await tx
    .selectFrom('providers')
    .select(['name', ...APPEARANCE_FIELDS])
    .where('id', '=', input.providerId)
    .forUpdate()
    .executeTakeFirstOrThrow()
  const before: AppearanceChange = {}
  const after: AppearanceChange = {}
  for (const field of APPEARANCE_FIELDS) {
    const next = input.change[field]
    if (next === undefined || next === current[field]) continue
    before[field] = current[field]
    after[field] = next
  }
  if (Object.keys(after).length === 0) return current
  // A new display name or support contact waits for the operator before any claim page shows it.
  const reviews = REVIEWED_FIELDS.flatMap((field) => {
    const wanted = after[field]
    if (wanted === undefined) return []
    const plain = field === 'display_name' && wanted !== null && spellsPlainName(wanted, name)
    return [reviewRequest(field, wanted, input.now, plain)]
  })
  await tx
    .updateTable('providers')
    .set(Object.assign({ ...after, updated_at: input.now }, ...reviews))
    .where('id', '=', input.providerId)
    .execute()
  await recordAudit(tx, {
    actor: input.actor,
    providerId: input.providerId,
    action: 'settings.changed',
    target: 'claim page',
    before,
    after,
    at: input.now,
  })
  return { ...current, ...after }
}

/**
 * Changes what the claim page shows: the accent colour at once; a display name or support
 * contact once the operator approves it.
 */
export async function changeAppearance({
  deps,
  providerId,
  actor,
  change,
}: {
  deps: Pick<AppDeps, 'db' | 'clock'>
  providerId: string
  actor: Actor
  change: AppearanceChange
}): Promise<Appearance> {
  const checked = checkAppearance(change)
  return withTx(deps.db, (tx) =>
    applyAppearance(tx, { providerId, actor, change: checked, now: deps.clock.now() }),
  )
}

/** `#0a5c36` mixed a quarter of the way to black: borders and the hover state. */
function darker(hex: string): string {
  return `#${rgbOf(hex)
    .map((c) =>
      Math.round(c * 0.75)
        .toString(16)
        .padStart(2, '0'),
    )
    .join('')}`
}

/**
 * The claim page's colours for one provider. The CSP allows no inline styles, so the accent
 * reaches the page as a small stylesheet of its own, linked after the shared one. It applies
 * inside `.provider-theme` only (the claim page's body, the console's preview), so the
 * console's own buttons keep their colour.
 */
export function accentStylesheet(accent: string): string {
  return `.provider-theme { --brand: ${accent}; --brand-dark: ${darker(accent)}; }\n`
}

/** FNV-1a of the stylesheet: its link changes whenever the colour does, so it can be cached. */
export function accentStylesheetPath(providerId: string, accent: string): string {
  const css = accentStylesheet(accent)
  let hash = 0x811c9dc5
  for (let i = 0; i < css.length; i++) {
    hash ^= css.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193) >>> 0
  }
  return `/assets/provider/${providerId}.css?v=${hash.toString(36)}`
}
