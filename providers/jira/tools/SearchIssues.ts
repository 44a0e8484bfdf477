/**
 * `search_issues`: a JQL search through `/rest/api/3/search/jql` (the enhanced search, paged by
 * `nextPageToken`). Answers short issues (no description) so a page stays small.
 */
import { Effect, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { Jql, MaxResults } from "./Inputs.ts"
import { FIELDS, RestIssue, shape } from "./IssueShape.ts"

export const Input = Schema.Struct({
  jql: Jql,
  maxResults: Schema.optionalKey(MaxResults),
  nextPageToken: Schema.optionalKey(Schema.String.check(Schema.isNonEmpty(), Schema.isMaxLength(2_000)).annotate({
    description: "nextPageToken from the previous page"
  }))
})

const Page = Schema.Struct({
  issues: Schema.Array(RestIssue),
  nextPageToken: nullable(Schema.String),
  isLast: nullable(Schema.Boolean)
})

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "search_issues",
    title: "Search Jira issues with JQL",
    description: "Finds Jira issues with a JQL query and answers a page of them (key, summary, status, assignee, labels ...).",
    input: Input,
    scope: "issues:search",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("JiraTools.searchIssues")(function*(input, context) {
      const page = yield* client.call(
        context,
        {
          method: "POST",
          path: "/rest/api/3/search/jql",
          body: {
            jql: input.jql,
            maxResults: input.maxResults ?? 20,
            fields: FIELDS.filter((field) => field !== "description"),
            ...(input.nextPageToken === undefined ? {} : { nextPageToken: input.nextPageToken })
          },
          what: "search issues"
        },
        Page
      )
      return {
        issues: page.issues.map((issue) => shape(issue, context, { description: false })),
        nextPageToken: page.nextPageToken ?? null,
        isLast: page.isLast ?? page.nextPageToken === undefined
      }
    })
  })
