import { describe, expect, it } from 'vitest'
import { type AddressClass, classifyAddress, isIpLiteral, parseIPv4, parseIPv6 } from './ip.ts'

/** A special-purpose block: its first and last address, and the addresses just outside it. */
interface Block {
  block: string
  kind: AddressClass
  inside: string[]
  outside: [string, AddressClass | undefined][]
}

const name = (kind: AddressClass | undefined) => kind ?? 'public'

function checkBlocks(blocks: Block[]) {
  describe.each(blocks)('$block', ({ kind, inside, outside }) => {
    it.each(inside)(`%s is ${kind}`, (host) => {
      expect(classifyAddress(host)).toBe(kind)
    })

    it.each(outside.map(([host, other]) => [host, name(other), other]))(
      '%s, just outside, is %s',
      (host, _, other) => {
        expect(classifyAddress(host)).toBe(other)
      },
    )
  })
}

describe('parseIPv4', () => {
  it.each([
    ['0.0.0.0', [0, 0, 0, 0]],
    ['255.255.255.255', [255, 255, 255, 255]],
    ['1.20.255.0', [1, 20, 255, 0]],
  ])('reads %s', (text, bytes) => {
    expect(parseIPv4(text)).toEqual(bytes)
  })

  it.each([
    ['256.0.0.1', 'a byte over 255'],
    ['1.2.3.256', 'a last byte over 255'],
    ['1000.0.0.1', 'four digits'],
    ['1.2.3', 'three parts'],
    ['1.2.3.4.5', 'five parts'],
    ['1..2.3', 'an empty part'],
    ['', 'nothing'],
    ['01.2.3.4', 'a leading zero (octal to some resolvers)'],
    ['1.2.3.00', 'a doubled zero'],
    ['0x10.0.0.1', 'hex'],
    ['1e2.0.0.1', 'an exponent'],
    ['-1.2.3.4', 'a sign'],
    [' 1.2.3.4', 'a leading space'],
    ['1.2.3.4 ', 'a trailing space'],
  ])('refuses %s (%s)', (text) => {
    expect(parseIPv4(text)).toBeUndefined()
    expect(isIpLiteral(text)).toBe(false)
  })
})

describe('parseIPv6', () => {
  it.each([
    ['::', [0, 0, 0, 0, 0, 0, 0, 0]],
    ['::1', [0, 0, 0, 0, 0, 0, 0, 1]],
    ['1::', [1, 0, 0, 0, 0, 0, 0, 0]],
    ['1:2:3:4:5:6:7:8', [1, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3::5:6:7:8', [1, 2, 3, 0, 5, 6, 7, 8]],
    ['::2:3:4:5:6:7:8', [0, 2, 3, 4, 5, 6, 7, 8]],
    ['1:2:3:4:5:6:7::', [1, 2, 3, 4, 5, 6, 7, 0]],
    ['ABCD:ef01::', [0xabcd, 0xef01, 0, 0, 0, 0, 0, 0]],
    ['0000:00ff::', [0, 0xff, 0, 0, 0, 0, 0, 0]],
    ['::ffff:1.2.3.4', [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]],
    ['::ffff:255.255.255.255', [0, 0, 0, 0, 0, 0xffff, 0xffff, 0xffff]],
    ['::1.2.3.4', [0, 0, 0, 0, 0, 0, 0x0102, 0x0304]],
    ['1:2:3:4:5:6:1.2.3.4', [1, 2, 3, 4, 5, 6, 0x0102, 0x0304]],
  ])('reads %s', (text, groups) => {
    expect(parseIPv6(text)).toEqual(groups)
  })

  it.each([
    ['', 'nothing'],
    [':', 'a lone colon'],
    [':::', 'three colons'],
    ['1:::2', 'three colons inside'],
    ['1::2::3', 'two "::"'],
    ['::1:2:3:4:5:6:7:8::', 'two "::" around eight groups'],
    ['1:2:3:4:5:6:7', 'seven groups'],
    ['1:2:3:4:5:6:7:8:9', 'nine groups'],
    ['1:2:3:4::5:6:7:8', '"::" standing for no group'],
    ['1:2:3:4:5:6:7:8::', '"::" after eight groups'],
    [':1:2:3:4:5:6:7', 'a leading single colon'],
    ['1:2:3:4:5:6:7:', 'a trailing single colon'],
    ['12345::', 'five hex digits'],
    ['00000::1', 'five zeros'],
    ['g::1', 'a letter that is not hex'],
    ['fe80::1%eth0', 'a zone id'],
    ['fe80::1%25eth0', 'a URL-escaped zone id'],
    ['::ffff:1.2.3', 'three IPv4 bytes'],
    ['::ffff:1.2.3.4.5', 'five IPv4 bytes'],
    ['::ffff:256.1.1.1', 'an IPv4 byte over 255'],
    ['::ffff:01.2.3.4', 'an IPv4 byte with a leading zero'],
    ['::ffff:1.2.3.4x', 'text after the IPv4 part'],
    ['::1.2.3.4:5', 'an IPv4 part that is not last'],
    ['1.2.3.4::', 'an IPv4 part first'],
    ['1:2:3:4:5:6:7:1.2.3.4', 'seven groups before an IPv4 part'],
    ['1:2:3:4:5:1.2.3.4', 'five groups before an IPv4 part'],
  ])('refuses %s (%s)', (text) => {
    expect(parseIPv6(text)).toBeUndefined()
    expect(isIpLiteral(text)).toBe(false)
  })

  // Brackets belong to URLs and are taken off by classifyAddress and isIpLiteral.
  it.each(['[::1]', '1.2.3.4'])('%s is not IPv6 text by itself', (text) => {
    expect(parseIPv6(text)).toBeUndefined()
  })
})

describe('isIpLiteral', () => {
  it.each(['127.0.0.1', '::1', '[::1]', '[2606:4700::1111]', '[::ffff:10.0.0.1]'])(
    '%s is an address',
    (host) => {
      expect(isIpLiteral(host)).toBe(true)
    },
  )

  // Only a matching pair of brackets is taken off; anything else is a name, resolved and checked.
  it.each(['[::1', '::1]', '0::1]', '[]', '[example.com]', 'example.com', '[fe80::1%25eth0]'])(
    '%s is not an address',
    (host) => {
      expect(isIpLiteral(host)).toBe(false)
    },
  )
})

describe('classifyAddress: IPv4 special-purpose blocks, edge to edge', () => {
  checkBlocks([
    {
      block: '0.0.0.0/8 (this network)',
      kind: 'unspecified',
      inside: ['0.0.0.0', '0.255.255.255'],
      outside: [['1.0.0.0', undefined]],
    },
    {
      block: '10.0.0.0/8',
      kind: 'private',
      inside: ['10.0.0.0', '10.255.255.255'],
      outside: [
        ['9.255.255.255', undefined],
        ['11.0.0.0', undefined],
      ],
    },
    {
      block: '100.64.0.0/10 (carrier-grade NAT)',
      kind: 'shared',
      inside: ['100.64.0.0', '100.127.255.255'],
      outside: [
        ['100.63.255.255', undefined],
        ['100.128.0.0', undefined],
        ['99.64.0.0', undefined],
        ['101.127.0.0', undefined],
      ],
    },
    {
      block: '127.0.0.0/8',
      kind: 'loopback',
      inside: ['127.0.0.0', '127.0.0.1', '127.255.255.255'],
      outside: [
        ['126.255.255.255', undefined],
        ['128.0.0.0', undefined],
      ],
    },
    {
      block: '169.254.0.0/16',
      kind: 'link-local',
      inside: ['169.254.0.0', '169.254.169.254', '169.254.255.255'],
      outside: [
        ['169.253.255.255', undefined],
        ['169.255.0.0', undefined],
        ['168.254.0.0', undefined],
        ['170.254.0.0', undefined],
      ],
    },
    {
      block: '172.16.0.0/12',
      kind: 'private',
      inside: ['172.16.0.0', '172.31.255.255'],
      outside: [
        ['172.15.255.255', undefined],
        ['172.32.0.0', undefined],
        ['171.16.0.0', undefined],
        ['173.31.0.0', undefined],
      ],
    },
    {
      block: '192.0.0.0/24 (IETF protocol assignments)',
      kind: 'reserved',
      inside: ['192.0.0.0', '192.0.0.255'],
      outside: [
        ['191.255.255.255', undefined],
        ['192.0.1.0', undefined],
        ['193.0.0.0', undefined],
        ['192.1.0.0', undefined],
      ],
    },
    {
      block: '192.0.2.0/24 (documentation)',
      kind: 'reserved',
      inside: ['192.0.2.0', '192.0.2.255'],
      outside: [
        ['192.0.1.255', undefined],
        ['192.0.3.0', undefined],
        ['193.0.2.0', undefined],
        ['192.1.2.0', undefined],
      ],
    },
    {
      block: '192.168.0.0/16',
      kind: 'private',
      inside: ['192.168.0.0', '192.168.255.255'],
      outside: [
        ['192.167.255.255', undefined],
        ['192.169.0.0', undefined],
        ['191.168.0.0', undefined],
        ['193.168.0.0', undefined],
      ],
    },
    {
      block: '198.18.0.0/15 (benchmarking)',
      kind: 'reserved',
      inside: ['198.18.0.0', '198.19.255.255'],
      outside: [
        ['198.17.255.255', undefined],
        ['198.20.0.0', undefined],
        ['197.18.0.0', undefined],
        ['199.19.0.0', undefined],
      ],
    },
    {
      block: '198.51.100.0/24 (documentation)',
      kind: 'reserved',
      inside: ['198.51.100.0', '198.51.100.255'],
      outside: [
        ['198.51.99.255', undefined],
        ['198.51.101.0', undefined],
        ['198.50.100.0', undefined],
        ['197.51.100.0', undefined],
      ],
    },
    {
      block: '203.0.113.0/24 (documentation)',
      kind: 'reserved',
      inside: ['203.0.113.0', '203.0.113.255'],
      outside: [
        ['203.0.112.255', undefined],
        ['203.0.114.0', undefined],
        ['203.1.113.0', undefined],
        ['202.0.113.0', undefined],
      ],
    },
    {
      block: '224.0.0.0/4',
      kind: 'multicast',
      inside: ['224.0.0.0', '239.255.255.255'],
      outside: [
        ['223.255.255.255', undefined],
        ['240.0.0.0', 'reserved'],
      ],
    },
    {
      block: '240.0.0.0/4 (future use, broadcast)',
      kind: 'reserved',
      inside: ['240.0.0.0', '255.255.255.255'],
      outside: [['239.255.255.255', 'multicast']],
    },
  ])
})

const ones = 'ffff:ffff:ffff:ffff:ffff:ffff:ffff'

describe('classifyAddress: IPv6 special-purpose blocks, edge to edge', () => {
  checkBlocks([
    {
      block: '::/128',
      kind: 'unspecified',
      inside: ['::', '0:0:0:0:0:0:0:0'],
      outside: [
        ['::1', 'loopback'],
        ['1::', 'reserved'],
      ],
    },
    {
      block: '::1/128',
      kind: 'loopback',
      inside: ['::1', '[::1]', '0:0:0:0:0:0:0:1'],
      outside: [
        // ::2 is the IPv4-compatible form of 0.0.0.2.
        ['::2', 'unspecified'],
        ['1::1', 'reserved'],
        ['::1:0:0:0:1', 'reserved'],
      ],
    },
    {
      block: 'fc00::/7 (unique local)',
      kind: 'private',
      inside: ['fc00::', `fdff:${ones}`, 'FD00::1'],
      outside: [
        [`fbff:${ones}`, 'reserved'],
        ['fe00::', 'reserved'],
      ],
    },
    {
      block: 'fe80::/10',
      kind: 'link-local',
      inside: ['fe80::', `febf:${ones}`],
      outside: [
        [`fe7f:${ones}`, 'reserved'],
        ['fec0::', 'private'],
      ],
    },
    {
      block: 'fec0::/10 (site-local)',
      kind: 'private',
      inside: ['fec0::', `feff:${ones}`],
      outside: [
        [`febf:${ones}`, 'link-local'],
        ['ff00::', 'multicast'],
      ],
    },
    {
      block: 'ff00::/8',
      kind: 'multicast',
      inside: ['ff00::', `ffff:${ones}`, 'ff02::1'],
      outside: [[`feff:${ones}`, 'private']],
    },
    {
      block: 'outside 2000::/3 (global unicast)',
      kind: 'reserved',
      inside: [
        '1::',
        `1fff:${ones}`,
        '4000::',
        '100::1',
        '5f00::1',
        '64:ff9b::7f00:1',
        '64:ff9b::8.8.8.8',
        '64:ff9b:1::a00:1',
      ],
      outside: [
        ['2000::', undefined],
        [`3fff:${ones}`, undefined],
      ],
    },
    {
      block: '2001::/23 (IETF protocol assignments: Teredo, benchmarking, ORCHID)',
      kind: 'reserved',
      inside: ['2001::', `2001:1ff:${ones.slice(5)}`, '2001:0:4136:e378::1', '2001:2::1'],
      outside: [
        [`2000:${ones}`, undefined],
        ['2001:200::', undefined],
      ],
    },
    {
      block: '2001:db8::/32 (documentation)',
      kind: 'reserved',
      inside: ['2001:db8::', `2001:db8:${ones.slice(5)}`, '[2001:DB8::1]'],
      outside: [
        [`2001:db7:${ones.slice(5)}`, undefined],
        ['2001:db9::', undefined],
      ],
    },
    {
      block: '2002::/16 (6to4)',
      kind: 'reserved',
      inside: ['2002::', `2002:${ones}`, '2002:7f00:1::'],
      outside: [
        [`2001:${ones}`, undefined],
        ['2003::', undefined],
      ],
    },
    {
      block: '3fff::/20 (documentation)',
      kind: 'reserved',
      inside: ['3fff::', `3fff:fff:${ones.slice(5)}`],
      outside: [
        [`3ffe:${ones}`, undefined],
        ['3fff:1000::', undefined],
      ],
    },
  ])

  it.each(['2606:4700::1111', '[2a00:1450:4001:81d::200e]', '2001:4860:4860::8888'])(
    '%s is public',
    (host) => {
      expect(classifyAddress(host)).toBeUndefined()
    },
  )
})

describe('classifyAddress: IPv6 forms that carry an IPv4 address are judged by it', () => {
  it.each([
    // IPv4-mapped, ::ffff:0:0/96
    ['::ffff:127.0.0.1', 'loopback'],
    ['[::ffff:127.0.0.1]', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::FFFF:10.1.2.3', 'private'],
    ['::ffff:169.254.169.254', 'link-local'],
    ['::ffff:100.64.0.1', 'shared'],
    ['::ffff:224.0.0.1', 'multicast'],
    ['::ffff:0.0.0.0', 'unspecified'],
    ['::ffff:255.255.255.255', 'reserved'],
    // IPv4-compatible, ::/96 (deprecated, still routed by some stacks)
    ['::127.0.0.1', 'loopback'],
    ['::7f00:1', 'loopback'],
    ['::10.0.0.1', 'private'],
    ['::198.18.0.1', 'reserved'],
    // IPv4-translated, ::ffff:0:0:0/96
    ['::ffff:0:127.0.0.1', 'loopback'],
    ['::ffff:0:7f00:1', 'loopback'],
    ['::ffff:0:a9fe:a9fe', 'link-local'],
  ])('%s is %s', (host, kind) => {
    expect(classifyAddress(host)).toBe(kind)
  })

  // A public IPv4 address has its own plain form; wrapped in IPv6 it is refused all the same.
  it.each(['::ffff:8.8.8.8', '::8.8.8.8', '::ffff:0:8.8.8.8'])('%s is reserved', (host) => {
    expect(classifyAddress(host)).toBe('reserved')
  })

  it.each([
    ['::fffe:7f00:1', 'reserved'],
    ['::1:7f00:1', 'reserved'],
    ['::1:ffff:7f00:1', 'reserved'],
    ['::ffff:1:7f00:1', 'reserved'],
    ['::1:0:7f00:1', 'reserved'],
    ['1::ffff:0:7f00:1', 'reserved'],
    ['2606:4700::ffff:7f00:1', undefined],
    ['2606:4700::ffff:0:7f00:1', undefined],
  ] as const)('%s, under another prefix, is not loopback', (host, kind) => {
    expect(classifyAddress(host)).toBe(kind)
  })
})

describe('classifyAddress: text that is not an address', () => {
  it.each(['example.com', '[::1', '0::1]', 'fe80::1%eth0', '1.2.3', ''])('%s', (host) => {
    expect(classifyAddress(host)).toBeUndefined()
  })
})
