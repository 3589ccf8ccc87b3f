import autocannon from 'autocannon'

export interface LoadResult {
  requests: number
  rps: number
  p50: number
  p99: number
  errors: number
  /** Answers outside 2xx: a benchmark with any is not measuring the path it names. */
  non2xx: number
}

export interface LoadOptions {
  url: string
  method?: 'GET' | 'POST'
  headers?: Record<string, string>
  /** Makes each request distinct (an id, an address) before it is sent. */
  vary?: (n: number) => { body?: string; headers?: Record<string, string> }
  connections: number
  seconds: number
}

/** One autocannon run against loopback, bounded in time. */
export async function load(options: LoadOptions): Promise<LoadResult> {
  let n = 0
  const result = await autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    requests: [
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        setupRequest: (request) => {
          if (!options.vary) return request
          const varied = options.vary(n++)
          return {
            ...request,
            ...(varied.body === undefined ? {} : { body: varied.body }),
            headers: { ...request.headers, ...varied.headers },
          }
        },
      },
    ],
  })
  return {
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  }
}

export interface MeasureOptions {
  connections: number
  seconds: number
  warmupSeconds: number
  progress: (line: string) => void
  /** Appended to the result's line, e.g. the service's peak RSS so far. */
  note?: () => string
}

/** Warms a route up, then loads it for the measured seconds, reporting as it goes. */
export async function measureRoute(
  name: string,
  route: Omit<LoadOptions, 'connections' | 'seconds'>,
  options: MeasureOptions,
): Promise<LoadResult> {
  const { connections, progress } = options
  progress(`${name}: warming up`)
  await load({ ...route, connections, seconds: options.warmupSeconds })
  progress(`${name}: ${options.seconds} s at ${connections} connections`)
  const result = await load({ ...route, connections, seconds: options.seconds })
  if (result.non2xx > 0 || result.errors > 0) {
    progress(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`)
  }
  const note = options.note ? `; ${options.note()}` : ''
  progress(`${name}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(0)} ms${note}`)
  return result
}
