/**
 * Who an agent means by "assignee": `me` (its own account), `none`, an account id as Jira
 * writes them (24 hex digits, or `<number>:<uuid>`), or an e-mail address or display name looked
 * up with `/rest/api/3/user/search`, which must name exactly one active person.
 */
import { Effect, Option, Schema } from "effect"
import type { HttpClient } from "effect/http"
import { ToolError } from "../../../kernel/domain/Errors.ts"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import type { JiraAccess, JiraClient } from "../client/JiraClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { agentAccountOf, META, metadataOf } from "../client/JiraSite.ts"

const Found = Schema.Array(Schema.Struct({
  accountId: Schema.String,
  displayName: nullable(Schema.String),
  emailAddress: nullable(Schema.String),
  active: nullable(Schema.Boolean),
  accountType: nullable(Schema.String)
}))

const ACCOUNT_ID = /^(?:[0-9a-f]{24}|[0-9]+:[0-9a-f-]{36})$/i

export interface Resolved {
  readonly accountId: string
  readonly displayName: string | null
}

const invalid = (message: string) => new ToolError({ reason: "InvalidInput", message })

/** The account `who` names; none for "none" (unassign). */
export const resolveAssignee = Effect.fnUntraced(function*(
  client: JiraClient,
  access: JiraAccess,
  context: PublicationContext,
  who: string
): Effect.fn.Return<Option.Option<Resolved>, ToolError, HttpClient.HttpClient> {
  const wanted = who.trim()
  if (wanted.toLowerCase() === "none") return Option.none()
  if (wanted.toLowerCase() === "me") {
    const agent = agentAccountOf(context.installation)
    if (Option.isNone(agent)) return yield* invalid("This installation does not record the agent's Jira account; reinstall it")
    return Option.some({ accountId: agent.value, displayName: Option.getOrNull(metadataOf(context.installation, META.accountName)) })
  }
  if (ACCOUNT_ID.test(wanted)) return Option.some({ accountId: wanted, displayName: null })
  const found = yield* client.request(
    access,
    { method: "GET", path: "/rest/api/3/user/search", query: { query: wanted, maxResults: "10" }, what: `find the user "${wanted}"` },
    Found
  )
  const people = found.filter((user) => user.active !== false && (user.accountType ?? "atlassian") === "atlassian")
  const lower = wanted.toLowerCase()
  const exact = people.filter((user) => user.emailAddress?.toLowerCase() === lower || user.displayName?.toLowerCase() === lower)
  const candidates = exact.length > 0 ? exact : people
  const only = candidates[0]
  if (only === undefined) return yield* invalid(`No active Jira user matches "${wanted}"`)
  if (candidates.length > 1) {
    const names = candidates.slice(0, 5).map((user) => `${user.displayName ?? "?"} (${user.accountId})`).join(", ")
    return yield* invalid(`"${wanted}" matches several people: ${names}; give an account id`)
  }
  return Option.some({ accountId: only.accountId, displayName: only.displayName ?? null })
})
