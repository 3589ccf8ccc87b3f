/**
 * What a provider may be called. The name is in every URL, every log line and, as a title, on
 * the claim page (`acme-rewards` reads "Acme Rewards") before any display name is approved, so it
 * must not hold a card number, take a name Cashout needs, or pass for a bank. These rules are a
 * first line, not a guarantee: the operator still watches who registers.
 */

/** 3 to 40 lowercase letters, digits or hyphens, starting and ending with a letter or digit. */
export const SLUG = /^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$/

/**
 * Names Cashout's own routes and pages use (`/operator`, `/console`, `/docs`, `/c/…`, `/rail/…`),
 * or that read as the platform itself on a claim page or in a log. Exact names only: `help-desk`
 * is fine, `help` is not.
 */
export const RESERVED_NAMES: ReadonlySet<string> = new Set([
  'operator',
  'console',
  'admin',
  'api',
  'docs',
  'openapi',
  'healthz',
  'readyz',
  'assets',
  'rail',
  'cashout',
  'c',
  'www',
  'support',
  'help',
  'login',
  'signin',
  'signup',
  'register',
  'root',
  'system',
  'sandbox',
])

/**
 * Australian banks, government payment names and payment brands a claim page could be mistaken
 * for, written without hyphens. One of five letters or more is refused anywhere in the name
 * (`mycommbank`, `hello-clever`); a shorter one, which hides inside ordinary words (`anzac`,
 * `atomic`), only as a whole hyphen-separated word (`rewards-anz`).
 */
export const LOOK_ALIKES: readonly string[] = [
  'commbank',
  'commonwealth',
  'westpac',
  'anz',
  'nab',
  'stgeorge',
  'bankwest',
  'suncorp',
  'boq',
  'ing',
  'helloclever',
  'paypal',
  'payid',
  'osko',
  'bpay',
  'eftpos',
  'afterpay',
  'mastercard',
  'visa',
  'amex',
  'ato',
  'mygov',
  'centrelink',
  'cashout',
]

const LONG = 5

/** Digits standing in for the letters they resemble: `w3stpac`, `paypa1`. */
const DIGIT_AS_LETTER: Record<string, string> = {
  '0': 'o',
  '1': 'l',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '8': 'b',
}

/** Twelve digits in a row, hyphens between them ignored: long enough to hold most of a PAN. */
const DIGIT_RUN = /\d(?:-?\d){11}/

/** A name already of the right shape (see `SLUG`); undefined when it may be used. */
export function nameProblem(name: string): string | undefined {
  if (!SLUG.test(name)) return undefined
  if (DIGIT_RUN.test(name)) {
    return 'Must not contain 12 or more digits in a row: that could be a card number, and a name is shown everywhere. Choose a name made of words.'
  }
  if (RESERVED_NAMES.has(name)) {
    return `“${name}” is reserved: Cashout uses it for its own pages. Choose another name.`
  }
  const brand = lookAlike(name)
  if (brand) {
    return `Must not look like a bank, a payment brand or Cashout (“${brand}”): customers could take you for them. Choose a name of your own.`
  }
  return undefined
}

/** The brand a name could pass for, if any. */
export function lookAlike(name: string): string | undefined {
  const folded = name.replace(/[0-9]/g, (d) => DIGIT_AS_LETTER[d] ?? d)
  const words = folded.split('-')
  const joined = words.join('')
  return LOOK_ALIKES.find((brand) =>
    brand.length >= LONG ? joined.includes(brand) : words.includes(brand),
  )
}

/** `acme-rewards` → `Acme Rewards`: the provider's name as a customer reads it. */
export function plainName(slug: string): string {
  return slug
    .split('-')
    .filter(Boolean)
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ')
}
