/** Why an address may not be called from here, or undefined when it is a public unicast address. */
export type AddressClass =
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'shared'
  | 'multicast'
  | 'unspecified'
  | 'reserved'

export function parseIPv4(text: string): number[] | undefined {
  const parts = text.split('.')
  if (parts.length !== 4) return undefined
  // Plain decimal only: some resolvers read "010" as octal and "0x7f" as hex.
  if (!parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p))) return undefined
  const bytes = parts.map(Number)
  return bytes.every((b) => b <= 255) ? bytes : undefined
}

/** Parses an IPv6 address (no brackets, no zone) into eight 16-bit groups. */
export function parseIPv6(text: string): number[] | undefined {
  // The last 32 bits may be written as an IPv4 address (::ffff:192.0.2.1).
  const cut = text.lastIndexOf(':') + 1
  const dotted = text.slice(cut)
  if (!dotted.includes('.')) return parseGroups(text)
  const bytes = parseIPv4(dotted)
  if (!bytes) return undefined
  const groups = parseGroups(`${text.slice(0, cut)}0:0`)
  if (!groups) return undefined
  const [a = 0, b = 0, c = 0, d = 0] = bytes
  return [...groups.slice(0, 6), (a << 8) | b, (c << 8) | d]
}

/** Hex groups with at most one "::", which stands for at least one zero group. */
function parseGroups(text: string): number[] | undefined {
  const halves = text.split('::')
  if (halves.length > 2) return undefined
  const toGroups = (part = '') => (part === '' ? [] : part.split(':'))
  const left = toGroups(halves[0])
  const right = toGroups(halves[1])
  if (![...left, ...right].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined
  const missing = 8 - left.length - right.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined
  return [...left, ...Array(missing).fill('0'), ...right].map((g) => Number.parseInt(g, 16))
}

export function classifyIPv4(bytes: number[]): AddressClass | undefined {
  const [a = 0, b = 0] = bytes
  if (a === 0) return 'unspecified'
  if (a === 127) return 'loopback'
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private'
  if (a === 169 && b === 254) return 'link-local'
  if (a === 100 && b >= 64 && b <= 127) return 'shared'
  if (a >= 224 && a <= 239) return 'multicast'
  if (a >= 240) return 'reserved'
  const c = bytes[2] ?? 0
  if (a === 192 && b === 0 && (c === 0 || c === 2)) return 'reserved'
  if (a === 198 && (b === 18 || b === 19)) return 'reserved'
  if ((a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113)) return 'reserved'
  return undefined
}

export function classifyIPv6(groups: number[]): AddressClass | undefined {
  const [g0 = 0, g1 = 0] = groups
  const allZeroBefore = (n: number) => groups.slice(0, n).every((g) => g === 0)
  if (allZeroBefore(7) && groups[7] === 1) return 'loopback'
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d, which makes :: itself 0.0.0.0)
  // and IPv4-translated (::ffff:0:a.b.c.d) addresses carry an IPv4 address; judge them by it.
  const embedsIPv4 = allZeroBefore(5)
    ? groups[5] === 0xffff || groups[5] === 0
    : allZeroBefore(4) && groups[4] === 0xffff && groups[5] === 0
  if (embedsIPv4) {
    const [hi = 0, lo = 0] = groups.slice(6)
    return classifyIPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]) ?? 'reserved'
  }
  if ((g0 & 0xfe00) === 0xfc00) return 'private'
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local'
  if ((g0 & 0xffc0) === 0xfec0) return 'private'
  if ((g0 & 0xff00) === 0xff00) return 'multicast'
  // Only 2000::/3 is global unicast. The rest is unassigned or special-purpose: NAT64
  // (64:ff9b::/96, 64:ff9b:1::/48) can lead back to addresses we refuse, 100::/64 discards.
  if ((g0 & 0xe000) !== 0x2000) return 'reserved'
  // 6to4 (2002::/16) and the IETF protocol assignments (2001::/23: Teredo 2001::/32,
  // benchmarking 2001:2::/48, ORCHID) can lead back inside or are not meant to be reached;
  // documentation prefixes (2001:db8::/32, 3fff::/20) have no hosts.
  if (g0 === 0x2002) return 'reserved'
  if (g0 === 0x2001 && (g1 < 0x200 || g1 === 0xdb8)) return 'reserved'
  if (g0 === 0x3fff && g1 < 0x1000) return 'reserved'
  return undefined
}

/** Classifies an IP literal (IPv6 with or without brackets); undefined for public or non-IP text. */
export function classifyAddress(host: string): AddressClass | undefined {
  const bare = unbracket(host)
  const v4 = parseIPv4(bare)
  if (v4) return classifyIPv4(v4)
  const v6 = parseIPv6(bare)
  return v6 ? classifyIPv6(v6) : undefined
}

export function isIpLiteral(host: string): boolean {
  const bare = unbracket(host)
  return parseIPv4(bare) !== undefined || parseIPv6(bare) !== undefined
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
}
