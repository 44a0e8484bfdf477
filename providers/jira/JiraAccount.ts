/**
 * Who the agent is on a site: `GET /rest/api/3/myself` with the installation's credentials, at
 * install time. Its account id is what assignments and mentions are matched against, and what
 * the agent's own events are recognised by.
 */
import { Effect, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { InstallError, type ToolError } from "../../kernel/domain/Errors.ts"
import type { JiraAccess, JiraClient } from "./JiraClient.ts"
import { nullable } from "./JiraSchema.ts"

export const Myself = Schema.Struct({
  accountId: Schema.String,
  displayName: nullable(Schema.String),
  accountType: nullable(Schema.String)
})
export type Myself = typeof Myself.Type

export const whoAmI = (
  client: JiraClient,
  access: JiraAccess,
  rejectedAs: InstallError["reason"]
): Effect.Effect<Myself, InstallError, HttpClient.HttpClient> =>
  client.request(access, { method: "GET", path: "/rest/api/3/myself", what: "read the connected account" }, Myself).pipe(
    Effect.mapError((error: ToolError) =>
      new InstallError({
        reason: error.reason === "Unauthorized" || error.reason === "Forbidden" || error.reason === "NotFound" ? rejectedAs : "VendorUnavailable",
        message: `Could not read the connected Jira account: ${error.message}`
      })
    )
  )
