/**
 * Schema helpers for vendor payloads and responses, shared by every provider.
 */
import { Schema } from "effect"

/** Vendors send `null` for an absent value as often as they omit the key; both decode. */
export const nullable = <S extends Schema.Top>(schema: S) => Schema.optional(Schema.NullOr(schema))

/** A JSON text decoded into `schema` in one step. */
export const decodeJsonText = <A>(schema: Schema.Codec<A, unknown>) => Schema.decodeUnknownEffect(Schema.fromJsonString(schema))
