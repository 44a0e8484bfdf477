/**
 * The two reads an install makes: which sites an OAuth grant reaches (accessible-resources, on
 * Atlassian's gateway) and who the agent is on a site (`/rest/api/3/myself`): assignments,
 * mentions and the agent's own events are matched against that account.
 */
import { Effect, Schema } from "effect"
import type { InstallError } from "../../../kernel/domain/Errors.ts"
import { installFailure } from "../../../kernel/provider/OAuth2.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import type { JiraAccess, JiraAuth, JiraClient } from "./JiraClient.ts"
import { META } from "./JiraSite.ts"

const Site = Schema.Struct({ id: Schema.String, url: Schema.String, name: nullable(Schema.String), scopes: nullable(Schema.Array(Schema.String)) })
const Myself = Schema.Struct({ accountId: Schema.String, displayName: nullable(Schema.String) })

export const grantedSites = (client: JiraClient, apiUrl: string, auth: JiraAuth) =>
  client.request(
    { baseUrl: apiUrl, auth },
    { method: "GET", path: "/oauth/token/accessible-resources", what: "list the granted sites" },
    Schema.Array(Site)
  ).pipe(Effect.mapError(installFailure("VendorRejected", "list the granted sites")))

/** The account as installation metadata; what Jira refuses fails as `rejectedAs`. */
export const whoAmI = (client: JiraClient, access: JiraAccess, rejectedAs: InstallError["reason"]) =>
  client.request(access, { method: "GET", path: "/rest/api/3/myself", what: "read the connected account" }, Myself).pipe(
    Effect.mapError(installFailure(rejectedAs, "read the connected Jira account")),
    Effect.map((me) => ({ [META.accountId]: me.accountId, [META.accountName]: me.displayName ?? "Jira agent" }))
  )
