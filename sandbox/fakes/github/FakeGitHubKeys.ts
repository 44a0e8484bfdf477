/**
 * Real RSA key pairs for the fake's Apps, on Web Crypto. GitHub hands an App's private key out
 * as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), while Web Crypto exports PKCS#8, so the PKCS#1 key is
 * taken out of the PKCS#8 `PrivateKeyInfo` (its OCTET STRING) with a few lines of DER reading.
 * The public key stays a `CryptoKey`, to verify the app JWTs the provider signs.
 */

interface Tlv {
  readonly tag: number
  readonly start: number
  readonly end: number
}

/** One DER element at `offset`: its tag and where its content starts and ends. */
const readTlv = (der: Uint8Array, offset: number): Tlv => {
  const tag = der[offset] ?? 0
  const first = der[offset + 1] ?? 0
  if (first < 0x80) return { tag, start: offset + 2, end: offset + 2 + first }
  const count = first & 0x7f
  let length = 0
  for (let index = 0; index < count; index++) length = length * 256 + (der[offset + 2 + index] ?? 0)
  return { tag, start: offset + 2 + count, end: offset + 2 + count + length }
}

/** PKCS#8 PrivateKeyInfo → the PKCS#1 RSAPrivateKey inside it. */
export const pkcs8ToPkcs1 = (pkcs8: Uint8Array): Uint8Array => {
  const outer = readTlv(pkcs8, 0)
  const version = readTlv(pkcs8, outer.start)
  const algorithm = readTlv(pkcs8, version.end)
  const key = readTlv(pkcs8, algorithm.end)
  if (outer.tag !== 0x30 || key.tag !== 0x04) throw new Error("not a PKCS#8 PrivateKeyInfo")
  return pkcs8.slice(key.start, key.end)
}

const toBase64 = (bytes: Uint8Array) => {
  let binary = ""
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary)
}

export const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${(toBase64(der).match(/.{1,64}/g) ?? []).join("\n")}\n-----END ${label}-----\n`

export interface AppKeys {
  /** PKCS#1, as GitHub's "Generate a private key" downloads it. */
  readonly privateKeyPem: string
  readonly publicKey: CryptoKey
}

export const generateAppKeys = async (): Promise<AppKeys> => {
  const pair = await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"]
  )
  const pkcs8 = new Uint8Array(await crypto.subtle.exportKey("pkcs8", pair.privateKey))
  return { privateKeyPem: pem("RSA PRIVATE KEY", pkcs8ToPkcs1(pkcs8)), publicKey: pair.publicKey }
}
