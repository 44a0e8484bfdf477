/**
 * A small JQL for the fake's search: clauses joined by AND, then an optional ORDER BY.
 *
 * | clause | meaning |
 * |---|---|
 * | `project = ENG`, `project in (ENG, OPS)` | by key or id |
 * | `status = "In Progress"`, `status != Done`, `status in (...)` | by status name |
 * | `assignee = currentUser()`, `assignee = <account id>`, `assignee is EMPTY` | |
 * | `labels = bug` | has the label |
 * | `key = ENG-1`, `key in (...)` | |
 * | `text ~ "words"`, `summary ~ "words"` | every word in the summary (or description) |
 *
 * Anything else is answered like Jira answers a query it cannot run: 400 with `errorMessages`.
 */
import { textOf } from "./FakeJiraData.ts"
import type { FakeIssue, FakeJiraState } from "./FakeJiraState.ts"
import { STATUSES } from "./FakeJiraState.ts"

export type Query =
  | { readonly _tag: "Ok"; readonly matches: (issue: FakeIssue) => boolean; readonly order: (a: FakeIssue, b: FakeIssue) => number }
  | { readonly _tag: "Invalid"; readonly message: string }

const unquote = (value: string): string => value.trim().replace(/^"(.*)"$/s, "$1").replace(/^'(.*)'$/s, "$1")

const listOf = (value: string): ReadonlyArray<string> =>
  value.trim().replace(/^\((.*)\)$/s, "$1").split(",").map(unquote).filter((entry) => entry.length > 0)

const CLAUSE = /^\s*(\w+)\s*(=|!=|~|\bin\b|\bis\b)\s*(.+?)\s*$/is

const clause = (state: FakeJiraState, text: string, me: string): ((issue: FakeIssue) => boolean) | string => {
  const match = CLAUSE.exec(text)
  if (match === null) return `Error in the JQL Query: cannot read "${text.trim()}"`
  const field = (match[1] ?? "").toLowerCase()
  const operator = (match[2] ?? "").toLowerCase()
  const raw = match[3] ?? ""
  const values = operator === "in" ? listOf(raw) : [unquote(raw)]
  const lower = values.map((value) => value.toLowerCase())
  const statusName = (issue: FakeIssue) => (STATUSES.find((status) => status.id === issue.statusId)?.name ?? "").toLowerCase()
  switch (field) {
    case "project":
      return (issue) => {
        const project = state.projects.get(issue.projectId)
        return lower.includes(project?.key.toLowerCase() ?? "") || values.includes(issue.projectId)
      }
    case "status":
      return operator === "!=" ? (issue) => !lower.includes(statusName(issue)) : (issue) => lower.includes(statusName(issue))
    case "assignee":
      if (operator === "is") return (issue) => /^(empty|null)$/i.test(raw.trim()) ? issue.assigneeId === null : issue.assigneeId !== null
      return (issue) => values.map((value) => /^currentuser\(\)$/i.test(value) ? me : value).includes(issue.assigneeId ?? "")
    case "labels":
      return (issue) => issue.labels.some((label) => lower.includes(label.toLowerCase()))
    case "key":
      return (issue) => lower.includes(issue.key.toLowerCase())
    case "text":
    case "summary": {
      if (operator !== "~") return `Error in the JQL Query: the operator "${operator}" is not supported by the "${field}" field`
      const words = (values[0] ?? "").toLowerCase().split(/\s+/).filter((word) => word.length > 0)
      return (issue) => {
        const haystack = `${issue.summary} ${field === "text" ? textOf(issue.description) : ""}`.toLowerCase()
        return words.every((word) => haystack.includes(word))
      }
    }
    default:
      return `Field '${match[1]}' does not exist or you do not have permission to view it.`
  }
}

const ORDERABLE = new Set(["created", "updated", "key", "priority"])

export const parse = (state: FakeJiraState, jql: string, me: string): Query => {
  const [where = "", orderBy] = jql.split(/\border\s+by\b/i)
  const clauses = where.trim().length === 0 ? [] : where.split(/\s+and\s+/i)
  const predicates: Array<(issue: FakeIssue) => boolean> = []
  for (const text of clauses) {
    if (/\s+or\s+/i.test(text)) return { _tag: "Invalid", message: "Error in the JQL Query: the fake Jira only supports AND" }
    const predicate = clause(state, text, me)
    if (typeof predicate === "string") return { _tag: "Invalid", message: predicate }
    predicates.push(predicate)
  }
  const [field = "created", direction = "desc"] = (orderBy ?? "created DESC").trim().toLowerCase().split(/\s+/)
  if (!ORDERABLE.has(field)) return { _tag: "Invalid", message: `Error in the JQL Query: cannot order by ${field}` }
  const sign = direction === "asc" ? 1 : -1
  const valueOf = (issue: FakeIssue): number | string =>
    field === "key" ? Number(issue.id) : field === "priority" ? -(issue.priority === null ? 9 : ["Highest", "High", "Medium", "Low", "Lowest"].indexOf(issue.priority)) : field === "updated" ? issue.updated : Number(issue.id)
  return {
    _tag: "Ok",
    matches: (issue) => predicates.every((predicate) => predicate(issue)),
    order: (a, b) => {
      const left = valueOf(a)
      const right = valueOf(b)
      return left === right ? 0 : left < right ? -sign : sign
    }
  }
}
