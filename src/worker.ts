import { type Env, workerConfig } from './cloudflare/env.ts'
import { buildIsolate, type Isolate } from './cloudflare/isolate.ts'
import { ConfigError } from './config.ts'

/** Built on the first invocation and kept for the isolate's life: bindings do not change in it. */
let isolate: Isolate | Response | undefined

function ready(env: Env): Isolate | Response {
  isolate ??= build(env)
  return isolate
}

function build(env: Env): Isolate | Response {
  try {
    return buildIsolate(workerConfig(env))
  } catch (error) {
    if (error instanceof ConfigError) return misconfigured(error.problems)
    throw error
  }
}

/** Workers entry: requests through the app, the cron trigger through the sweeps. */
export default {
  async fetch(request, env, ctx) {
    const built = ready(env)
    if (built instanceof Response) return built.clone()
    return built.fetch(request, env, ctx)
  },
  async scheduled(_controller, env) {
    const built = ready(env)
    if (built instanceof Response) return
    await built.scheduled()
  },
} satisfies ExportedHandler<Env>

function misconfigured(problems: string[]): Response {
  console.error(`Invalid configuration: ${problems.join('; ')}`)
  return Response.json(
    {
      message: 'Cashout is not configured correctly; the operator has been told.',
      code: 'internal_error',
      request_id: '',
    },
    { status: 500 },
  )
}
