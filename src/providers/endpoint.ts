import { type AddressClass, classifyAddress, isIpLiteral } from '../net/ip.ts'

export interface EndpointPolicy {
  allowLoopback: boolean
}

const MAX_LENGTH = 2048

/**
 * Checks a provider's webhook URL when it is set: https only, no credentials, and no address
 * that points inside our own network. Loopback (http or https) only when the operator allows
 * it. Names are resolved and checked again at connect time by the webhook sender.
 * Returns the normalised URL, or a sentence saying what is wrong.
 */
export function checkEndpoint(
  raw: string,
  policy: EndpointPolicy,
): { ok: true; url: string } | { ok: false; message: string } {
  if (raw.length > MAX_LENGTH) return fail(`Must be at most ${MAX_LENGTH} characters.`)
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    return fail('Must be an absolute https URL.')
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return fail('Must be an https URL.')
  }
  if (url.username || url.password) return fail('Must not contain a user name or password.')
  // A trailing dot names the same host ("localhost." is localhost) to most resolvers.
  const host = url.hostname.toLowerCase().replace(/\.$/, '')
  const loopback =
    host === 'localhost' || host.endsWith('.localhost') || classifyAddress(host) === 'loopback'
  if (loopback) {
    return policy.allowLoopback
      ? { ok: true, url: url.toString() }
      : fail('Must not point at a loopback address.')
  }
  if (url.protocol !== 'https:') return fail('Must be an https URL.')
  if (isIpLiteral(host)) {
    const kind = classifyAddress(host)
    if (kind) return fail(`Must not point at ${ADDRESS_WORDS[kind]}.`)
  } else if (!host.includes('.')) {
    return fail('Must use a fully qualified host name.')
  }
  return { ok: true, url: url.toString() }
}

/** How each kind of address we refuse is named to a person. */
const ADDRESS_WORDS: Record<AddressClass, string> = {
  loopback: 'a loopback address',
  private: 'a private address',
  'link-local': 'a link-local address',
  shared: 'a shared (carrier-grade NAT) address',
  multicast: 'a multicast address',
  unspecified: 'an unspecified address (0.0.0.0 or ::)',
  reserved: 'a reserved or special-purpose address',
}

function fail(message: string) {
  return { ok: false as const, message }
}
