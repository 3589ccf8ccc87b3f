import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { base64url } from 'jose'
import { randomBytes, randomToken } from './bytes.ts'
import type { Keyring } from './vault.ts'

interface KeyFile {
  encryption_keys: { kid: string; key: string }[]
  hmac_key: string
  operator_token?: string
}

export interface LocalSecrets {
  path: string
  keyring: Keyring
  operatorToken: string
}

/**
 * The embedded default's secrets, in `<dataDir>/keys.json` with mode 0600, created on first
 * start: the encryption and HMAC keys and an operator token. Production passes ENCRYPTION_KEYS,
 * HMAC_KEY and OPERATOR_TOKEN instead, shared by every instance.
 */
export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const path = join(dataDir, 'keys.json')
  let file: KeyFile
  if (existsSync(path)) {
    file = JSON.parse(readFileSync(path, 'utf8')) as KeyFile
  } else {
    // Private from the first moment: the embedded database lands here too.
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    file = {
      encryption_keys: [
        { kid: `k${Date.now().toString(36)}`, key: base64url.encode(randomBytes(32)) },
      ],
      hmac_key: base64url.encode(randomBytes(32)),
    }
  }
  if (!file.operator_token) {
    file.operator_token = randomToken(32)
    writeFileSync(path, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 })
  }
  chmodSync(path, 0o600)
  return {
    path,
    keyring: {
      encryption: file.encryption_keys.map(({ kid, key }) => ({ kid, key: base64url.decode(key) })),
      hmac: base64url.decode(file.hmac_key),
    },
    operatorToken: file.operator_token,
  }
}
