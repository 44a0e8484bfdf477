/** Schema helpers shared by the GitHub modules. */
import { Schema } from "effect"

/** GitHub sends `null` for an absent value as often as it omits the key; both decode. */
export const nullable = <S extends Schema.Top>(schema: S) => Schema.optional(Schema.NullOr(schema))

/** A JSON text decoded into `schema` in one step. */
export const decodeJson = <A>(schema: Schema.Codec<A, unknown>) => Schema.decodeUnknownEffect(Schema.fromJsonString(schema))
