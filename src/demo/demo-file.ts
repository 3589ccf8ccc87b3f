import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'

const DemoFile = z.object({
  name: z.string(),
  api_key: z.string(),
  webhook_secret: z.string(),
})

export type DemoCredentials = z.infer<typeof DemoFile>

export const demoFilePath = (dataDir: string) => join(dataDir, 'demo.json')

/** The demo provider's key and webhook secret, kept beside keys.json with mode 0600. */
export function readDemoFile(dataDir: string): DemoCredentials | undefined {
  const path = demoFilePath(dataDir)
  if (!existsSync(path)) return undefined
  try {
    const parsed = DemoFile.safeParse(JSON.parse(readFileSync(path, 'utf8')))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

export function writeDemoFile(dataDir: string, credentials: DemoCredentials) {
  mkdirSync(dataDir, { recursive: true })
  const path = demoFilePath(dataDir)
  writeFileSync(path, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 })
  chmodSync(path, 0o600)
}
