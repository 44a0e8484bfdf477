/** Seals a record of named secrets (an app's private key, webhook secret ...) as one JSON value. */
import { Effect, Redacted, Schema } from "effect"
import { VaultError } from "../domain/Errors.ts"
import type { Sealed } from "../store/Sealed.ts"
import type { Vault } from "./Vault.ts"

const SecretsJson = Schema.fromJsonString(Schema.Record(Schema.String, Schema.String))
const decode = Schema.decodeUnknownEffect(SecretsJson)
const encode = Schema.encodeEffect(SecretsJson)

export const sealSecretRecord = (
  vault: Vault["Service"],
  binding: string,
  secrets: Readonly<Record<string, Redacted.Redacted<string>>>
): Effect.Effect<Sealed, VaultError> =>
  encode(Object.fromEntries(Object.entries(secrets).map(([name, value]) => [name, Redacted.value(value)]))).pipe(
    Effect.orDie,
    Effect.flatMap((json) => vault.seal(Redacted.make(json), binding))
  )

export const openSecretRecord = (
  vault: Vault["Service"],
  binding: string,
  sealed: Sealed
): Effect.Effect<Readonly<Record<string, Redacted.Redacted<string>>>, VaultError> =>
  vault.open(sealed, binding).pipe(
    Effect.flatMap((json) =>
      decode(Redacted.value(json)).pipe(
        Effect.mapError(() => new VaultError({ reason: "DecryptFailed", message: "Sealed secrets are not readable" }))
      )
    ),
    Effect.map((record) => Object.fromEntries(Object.entries(record).map(([name, value]) => [name, Redacted.make(value)])))
  )
