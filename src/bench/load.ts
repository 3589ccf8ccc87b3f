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
