/**
 * Whether a post comes from this site's own page. With `Referrer-Policy: no-referrer` browsers
 * send `Origin: null` on form posts, so Fetch Metadata speaks for them; a real Origin must match.
 */
export function fromOurPage(
  headers: { origin?: string; site?: string },
  expectedOrigin: string,
): boolean {
  const { origin, site } = headers
  if (origin !== undefined && origin !== 'null' && origin !== expectedOrigin) return false
  if (site !== undefined) return site === 'same-origin'
  return origin !== 'null'
}
