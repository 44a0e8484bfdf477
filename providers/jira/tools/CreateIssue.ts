/** `create_issue`: a new issue in a project, optionally assigned (to the agent with "me"). */
import { Effect, Option, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import { fromText } from "../client/JiraAdf.ts"
import type { JiraClient } from "../client/JiraClient.ts"
import { Assignee, Description, DueDate, IssueType, Label, Priority, Project, Summary } from "./Inputs.ts"
import { browseUrl } from "./IssueShape.ts"
import { resolveAssignee } from "./Users.ts"

export const Input = Schema.Struct({
  project: Project,
  summary: Summary,
  description: Schema.optionalKey(Description),
  issueType: Schema.optionalKey(IssueType),
  priority: Schema.optionalKey(Priority),
  labels: Schema.optionalKey(Schema.Array(Label).check(Schema.isMaxLength(20))),
  assignee: Schema.optionalKey(Assignee),
  dueDate: Schema.optionalKey(DueDate)
})

const Created = Schema.Struct({ id: Schema.String, key: Schema.String })

export const make = (client: JiraClient): Tool =>
  defineTool({
    name: "create_issue",
    title: "Create a Jira issue",
    description: "Creates a Jira issue in a project (default type Task), with an optional description, priority, labels, assignee and due date.",
    input: Input,
    scope: "issues:write",
    annotations: { readOnly: false, destructive: false, idempotent: false },
    execute: Effect.fn("JiraTools.createIssue")(function*(input, context) {
      const access = yield* client.access(context)
      const assignee = input.assignee === undefined ? Option.none() : yield* resolveAssignee(client, access, context, input.assignee)
      const project: Schema.Json = /^[0-9]+$/.test(input.project) ? { id: input.project } : { key: input.project.toUpperCase() }
      const fields = {
        project,
        summary: input.summary,
        issuetype: { name: input.issueType ?? "Task" },
        ...(input.description === undefined ? {} : { description: fromText(input.description) }),
        ...(input.priority === undefined ? {} : { priority: { name: input.priority } }),
        ...(input.labels === undefined ? {} : { labels: [...input.labels] }),
        ...(input.dueDate === undefined ? {} : { duedate: input.dueDate }),
        ...Option.match(assignee, { onNone: () => ({}), onSome: (who) => ({ assignee: { accountId: who.accountId } }) })
      }
      const created = yield* client.request(
        access,
        { method: "POST", path: "/rest/api/3/issue", body: { fields }, what: `create an issue in ${input.project}` },
        Created
      )
      return { id: created.id, key: created.key, url: browseUrl(context, created.key) }
    })
  })
