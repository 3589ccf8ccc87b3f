/**
 * Group commit in the application. Each caller hands in one item and waits for its own result;
 * while a flush runs, newly arrived items wait and all go together in the next flush. A flush
 * starts once the event loop has taken in what input is waiting (one turn, no timer): alone, an
 * item is flushed at once; under load, many share one transaction,
 * so rows every item must lock (a provider's float) are locked once per group, not once per item.
 * If a group's flush fails, each of its items is flushed again on its own, so one item's error
 * (a float that cannot cover it) is that item's alone. The turn matters on embedded PGlite,
 * which runs a query without yielding: requests that arrived meanwhile are read only after it.
 */
const nextTurn: (run: () => void) => void =
  globalThis.setImmediate ?? ((run: () => void) => setTimeout(run, 0))

export function grouped<T, R>(
  flush: (items: T[]) => Promise<R[]>,
  options: { max?: number } = {},
): (item: T) => Promise<R> {
  const max = options.max ?? 500
  let waiting: { item: T; resolve: (r: R) => void; reject: (e: unknown) => void }[] = []
  let running = false

  async function drain() {
    while (waiting.length > 0) {
      const group = waiting.slice(0, max)
      waiting = waiting.slice(group.length)
      try {
        const results = await flush(group.map((w) => w.item))
        for (const [i, w] of group.entries()) w.resolve(results[i] as R)
      } catch (error) {
        if (group.length === 1) {
          group[0]?.reject(error)
          continue
        }
        for (const w of group) {
          try {
            const [result] = await flush([w.item])
            w.resolve(result as R)
          } catch (alone) {
            w.reject(alone)
          }
        }
      }
      await new Promise<void>((resolve) => nextTurn(resolve))
    }
    running = false
  }

  return (item) =>
    new Promise<R>((resolve, reject) => {
      waiting.push({ item, resolve, reject })
      if (running) return
      running = true
      nextTurn(() => void drain())
    })
}
