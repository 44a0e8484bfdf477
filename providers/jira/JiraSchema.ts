/** Schema helpers shared by the Jira modules. */
import { Schema } from "effect"

/** Jira sends `null` for an absent value as often as it omits the key; both decode. */
export const nullable = <S extends Schema.Top>(schema: S) => Schema.optional(Schema.NullOr(schema))
