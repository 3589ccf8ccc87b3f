export type Schema = Record<string, unknown>
export type Auth = 'provider' | 'operator' | 'none' | 'token'

export interface Route {
  method: string
  template: string
  auth: Auth
  /** The JSON body's schema, when the route takes one. */
  body?: Schema
  query: string[]
  /** Served as HTML or static files rather than the JSON error shape. */
  page: boolean
}

interface OpenApi {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, Schema> }
}
interface Operation {
  security?: Record<string, unknown>[]
  parameters?: { in: string; name: string }[]
  requestBody?: { content: Record<string, { schema: Schema }> }
}

/** Routes the service documents, plus the claim pages and static files it serves beside them. */
export async function loadRoutes(baseUrl: string) {
  const doc = (await (await fetch(`${baseUrl}/openapi.json`)).json()) as OpenApi
  const routes: Route[] = []
  for (const [template, operations] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(operations)) {
      const scheme = Object.keys(op.security?.[0] ?? {})[0]
      routes.push({
        method: method.toUpperCase(),
        template,
        auth: template.startsWith('/rail/')
          ? 'token'
          : scheme === 'operatorToken'
            ? 'operator'
            : scheme === 'providerKey'
              ? 'provider'
              : 'none',
        body: op.requestBody?.content['application/json']?.schema,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        page: false,
      })
    }
  }
  const page = (method: string, template: string): Route => ({
    method,
    template,
    auth: 'none',
    query: [],
    page: true,
  })
  routes.push(
    page('GET', '/c/{uuid}'),
    page('POST', '/c/{uuid}'),
    page('POST', '/c/{uuid}/confirm'),
    page('GET', '/c/{uuid}/status'),
    page('GET', '/assets/{name}'),
    page('GET', '/docs'),
    page('GET', '/openapi.json'),
    page('GET', '/'),
  )
  return { routes, schemas: doc.components.schemas }
}

/**
 * Which route a path could reach once normalised (dot segments resolved as the URL parser does;
 * and, erring wide, repeated and trailing slashes dropped and case ignored), with its parameters
 * decoded: the fuzzer's safety rules are judged on this.
 */
export function reach(routes: Route[], method: string, rawPath: string) {
  const parsed = new URL(`http://fuzz.invalid${rawPath}`).pathname.replace(/\/+/g, '/')
  const path = safeDecode(parsed, decodeURI)
  const segments = (path.length > 1 ? path.replace(/\/$/, '') : path).split('/')
  for (const route of routes) {
    if (route.method !== method) continue
    const parts = route.template.split('/')
    if (parts.length !== segments.length) continue
    const params: Record<string, string> = {}
    const matches = parts.every((part, i) => {
      const segment = segments[i] as string
      if (!part.startsWith('{')) return part.toLowerCase() === segment.toLowerCase()
      if (segment === '') return false
      params[part.slice(1, -1)] = safeDecode(segment, decodeURIComponent)
      return true
    })
    if (matches) return { route, params }
  }
  return undefined
}

function safeDecode(text: string, decode: (text: string) => string) {
  try {
    return decode(text)
  } catch {
    return text
  }
}
