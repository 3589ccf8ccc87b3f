import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import type { Sandbox } from './app.ts'

export interface RunningSandbox {
  /** Base URL of its API, e.g. `http://127.0.0.1:4010/api`. */
  baseUrl: string
  origin: string
  close(): Promise<void>
}

/** Serves a sandbox over real HTTP on `host:port` (port 0 picks a free one). */
export function serveSandbox(
  sandbox: Sandbox,
  port: number,
  host = '127.0.0.1',
): Promise<RunningSandbox> {
  return new Promise((resolve, reject) => {
    const server = serve(
      { fetch: sandbox.app.fetch, port, hostname: host },
      (info: AddressInfo) => {
        sandbox.start()
        const origin = `http://${host.includes(':') ? `[${host}]` : host}:${info.port}`
        resolve({
          baseUrl: `${origin}/api`,
          origin,
          close: async () => {
            await sandbox.stop()
            await new Promise<void>((done) => {
              server.close(() => done())
              if ('closeAllConnections' in server) server.closeAllConnections()
            })
          },
        })
      },
    )
    server.once('error', reject)
  })
}
