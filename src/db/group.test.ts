import { describe, expect, test } from 'vitest'
import { grouped } from './group.ts'

describe('grouped', () => {
  test('items that arrive while a flush runs go together in the next one', async () => {
    const flushes: number[][] = []
    const double = grouped(async (items: number[]) => {
      flushes.push(items)
      await Promise.resolve()
      return items.map((n) => n * 2)
    })
    const results = await Promise.all([1, 2, 3, 4].map((n) => double(n)))
    expect(results).toEqual([2, 4, 6, 8])
    // All four arrived in one turn of the event loop, so they share one flush.
    expect(flushes).toEqual([[1, 2, 3, 4]])
    // One arriving while a flush runs waits for the next.
    const first = double(5)
    await new Promise((resolve) => setImmediate(resolve))
    const second = double(6)
    expect(await Promise.all([first, second])).toEqual([10, 12])
    expect(flushes.slice(1)).toEqual([[5], [6]])
  })

  test('a group that fails is retried item by item, so only the bad item fails', async () => {
    const flushes: string[][] = []
    const check = grouped(async (items: string[]) => {
      flushes.push(items)
      if (items.includes('bad')) throw new Error('refused')
      return items.map((s) => s.toUpperCase())
    })
    const all = ['a', 'bad', 'b'].map((s) => check(s).catch((e: Error) => e.message))
    expect(await Promise.all(all)).toEqual(['A', 'refused', 'B'])
    expect(flushes).toEqual([['a', 'bad', 'b'], ['a'], ['bad'], ['b']])
  })

  test('no group is larger than the maximum', async () => {
    const sizes: number[] = []
    const id = grouped(
      async (items: number[]) => {
        sizes.push(items.length)
        return items
      },
      { max: 2 },
    )
    await Promise.all([1, 2, 3, 4, 5].map((n) => id(n)))
    expect(sizes).toEqual([2, 2, 1])
  })
})
