import { CompactEncrypt, compactDecrypt } from 'jose'
import { hmacSha256 } from './bytes.ts'

export interface EncryptionKey {
  kid: string
  key: Uint8Array
}

export interface Keyring {
  /** The first key encrypts; every key can decrypt, so old data stays readable after rotation. */
  encryption: EncryptionKey[]
  hmac: Uint8Array
}

export interface Sealed {
  jwe: string
  kid: string
}

/** Encryption at rest and keyed hashing; the only module that touches key material. */
export interface Vault {
  seal(plaintext: string): Promise<Sealed>
  open(jwe: string): Promise<string>
  hmac(value: string): Promise<string>
}

const ALG = 'dir'
const ENC = 'A256GCM'

export function createVault(keyring: Keyring): Vault {
  const [current] = keyring.encryption
  if (!current) throw new Error('the keyring has no encryption key')
  for (const { kid, key } of keyring.encryption) {
    if (key.length !== 32) throw new Error(`encryption key ${kid} must be 32 bytes`)
  }
  const byKid = new Map(keyring.encryption.map((k) => [k.kid, k.key]))
  const hmacKey = new Uint8Array(keyring.hmac)
  const encoder = new TextEncoder()
  return {
    async seal(plaintext) {
      const jwe = await new CompactEncrypt(encoder.encode(plaintext))
        .setProtectedHeader({ alg: ALG, enc: ENC, kid: current.kid })
        .encrypt(current.key)
      return { jwe, kid: current.kid }
    },
    async open(jwe) {
      const { plaintext } = await compactDecrypt(
        jwe,
        (header) => {
          const key = header.kid ? byKid.get(header.kid) : undefined
          if (!key) throw new Error(`no key with id ${String(header.kid)}`)
          return key
        },
        { keyManagementAlgorithms: [ALG], contentEncryptionAlgorithms: [ENC] },
      )
      return new TextDecoder().decode(plaintext)
    },
    async hmac(value) {
      return hmacSha256(hmacKey, value).toString('hex')
    },
  }
}
