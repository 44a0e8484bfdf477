/** Schema helpers shared by the Slack modules. */
import { Schema } from "effect"

/** Slack omits absent values as often as it sends them as `null`; both decode. */
export const nullable = <S extends Schema.Top>(schema: S) => Schema.optional(Schema.NullOr(schema))
