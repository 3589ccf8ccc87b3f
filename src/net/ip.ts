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
  const bytes = parts.map((p) => (/^(0|[1-9]\d{0,2})$/.test(p) ? Number(p) : Number.NaN))
  return bytes.every((b) => b >= 0 && b <= 255) ? bytes : undefined
}

/** Parses an IPv6 address (no brackets, no zone) into eight 16-bit groups. */
export function parseIPv6(text: string): number[] | undefined {
  let head = text
  let tail: number[] = []
  const v4 = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(text)
  if (v4) {
    const bytes = parseIPv4(v4[2] ?? '')
    if (!bytes) return undefined
    head = `${v4[1]}0:0`
    tail = [((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0), ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)]
  }
  const halves = head.split('::')
  if (halves.length > 2) return undefined
  const toGroups = (part: string) => (part === '' ? [] : part.split(':'))
  const left = toGroups(halves[0] ?? '')
  const right = halves.length === 2 ? toGroups(halves[1] ?? '') : []
  if (![...left, ...right].every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined
  const missing = 8 - left.length - right.length
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined
  const groups = [...left, ...Array(missing).fill('0'), ...right].map((g) => Number.parseInt(g, 16))
  if (v4) groups.splice(6, 2, ...tail)
  return groups
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
  const [g0 = 0] = groups
  const allZeroBefore = (n: number) => groups.slice(0, n).every((g) => g === 0)
  if (allZeroBefore(8)) return 'unspecified'
  if (allZeroBefore(7) && groups[7] === 1) return 'loopback'
  const g1 = groups[1] ?? 0
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and IPv4-translated
  // (::ffff:0:a.b.c.d) addresses carry an IPv4 address; judge them by it.
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
  // NAT64 (64:ff9b::/96, 64:ff9b:1::/48), 6to4 (2002::/16), Teredo (2001::/32) and
  // documentation (2001:db8::/32) prefixes can all lead back to addresses we refuse.
  if (g0 === 0x64 && g1 === 0xff9b) return 'reserved'
  if (g0 === 0x2002) return 'reserved'
  if (g0 === 0x2001 && (g1 === 0 || g1 === 0xdb8)) return 'reserved'
  return undefined
}

/** Classifies an IP literal (IPv6 with or without brackets); undefined for public or non-IP text. */
export function classifyAddress(host: string): AddressClass | undefined {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  const v4 = parseIPv4(bare)
  if (v4) return classifyIPv4(v4)
  const v6 = parseIPv6(bare)
  return v6 ? classifyIPv6(v6) : undefined
}

export function isIpLiteral(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host
  return parseIPv4(bare) !== undefined || parseIPv6(bare) !== undefined
}
