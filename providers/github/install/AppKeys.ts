/**
 * GitHub App private keys. GitHub hands them out as PKCS#1 PEM (`BEGIN RSA PRIVATE KEY`), which
 * Web Crypto (and so jose's `importPKCS8`) cannot import: it only takes PKCS#8. A PKCS#8
 * `PrivateKeyInfo` is the PKCS#1 key wrapped in three DER fields (version 0, the rsaEncryption
 * algorithm identifier, the key as an OCTET STRING), so the wrapping is done here by hand, on
 * bytes, with no runtime crypto module: it works the same on Workers, Bun, Deno and Node.
 *
 * PKCS#8 PEM (`BEGIN PRIVATE KEY`, what `openssl pkcs8 -topk8` produces) is accepted as is.
 * Encrypted keys and other key types are refused with a message saying what to paste instead.
 */
import { Data, Effect, Redacted, Result } from "effect"
import { importPKCS8 } from "jose"
import { base64Decode, base64Encode } from "../../../kernel/encoding/Encoding.ts"

export type PemProblem = "NotPem" | "Encrypted" | "NotRsa" | "Unreadable"

export class KeyError extends Data.TaggedError("KeyError")<{
  readonly problem: PemProblem
  readonly message: string
}> {}

const keyError = (problem: PemProblem, message: string) => new KeyError({ problem, message })

/** DER: version INTEGER 0. */
const VERSION = [0x02, 0x01, 0x00]
/** DER: AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }. */
const RSA_ENCRYPTION = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]

/** A DER length: short form under 128, else 0x80 + the count of big-endian length bytes. */
export const derLength = (length: number): Array<number> => {
  if (length < 0x80) return [length]
  const bytes: Array<number> = []
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return [0x80 + bytes.length, ...bytes]
}

const tagged = (tag: number, content: ArrayLike<number>): Uint8Array => {
  const header = [tag, ...derLength(content.length)]
  const out = new Uint8Array(header.length + content.length)
  out.set(header, 0)
  out.set(Array.from(content), header.length)
  return out
}

/** Wraps a PKCS#1 RSAPrivateKey (DER) in a PKCS#8 PrivateKeyInfo (DER). */
export const pkcs1ToPkcs8 = (pkcs1: Uint8Array): Uint8Array => {
  const octets = tagged(0x04, pkcs1)
  const body = new Uint8Array(VERSION.length + RSA_ENCRYPTION.length + octets.length)
  body.set(VERSION, 0)
  body.set(RSA_ENCRYPTION, VERSION.length)
  body.set(octets, VERSION.length + RSA_ENCRYPTION.length)
  return tagged(0x30, body)
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/

export const toPem = (label: string, der: Uint8Array): string => {
  const lines = base64Encode(der).match(/.{1,64}/g) ?? []
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`
}

/** The key as a PKCS#8 PEM, whichever of the two forms GitHub users paste. */
export const toPkcs8Pem = (pem: string): Result.Result<string, KeyError> => {
  const block = PEM_BLOCK.exec(pem)
  if (block === null) {
    return Result.fail(keyError("NotPem", "The private key is not a PEM block; paste the whole .pem file GitHub generated"))
  }
  const label = block[1] ?? ""
  const body = (block[2] ?? "").replace(/\s+/g, "")
  if (label === "ENCRYPTED PRIVATE KEY" || /Proc-Type:\s*4,ENCRYPTED/.test(block[2] ?? "")) {
    return Result.fail(keyError("Encrypted", "The private key is encrypted; paste the unencrypted .pem GitHub generated"))
  }
  if (label !== "RSA PRIVATE KEY" && label !== "PRIVATE KEY") {
    return Result.fail(keyError("NotRsa", `A "${label}" PEM is not a GitHub App private key (RSA PRIVATE KEY)`))
  }
  const der = base64Decode(body)
  // Both forms are a DER SEQUENCE; anything else is a damaged paste.
  if (der === undefined || der.length < 16 || der[0] !== 0x30) {
    return Result.fail(keyError("Unreadable", "The private key's PEM body is damaged; paste the .pem file again"))
  }
  return Result.succeed(label === "PRIVATE KEY" ? pem : toPem("PRIVATE KEY", pkcs1ToPkcs8(der)))
}

/** Imports the app's private key for RS256 signing. */
export const importAppKey = (pem: Redacted.Redacted<string>): Effect.Effect<CryptoKey, KeyError> =>
  Effect.gen(function*() {
    const pkcs8 = yield* Result.match(toPkcs8Pem(Redacted.value(pem)), {
      onFailure: (error) => Effect.fail(error),
      onSuccess: (value) => Effect.succeed(value)
    })
    return yield* Effect.tryPromise({
      try: () => importPKCS8(pkcs8, "RS256"),
      catch: () => keyError("Unreadable", "The private key could not be imported as an RSA key for RS256")
    })
  })
