/**
 * Text ⇄ Atlassian Document Format. REST v3 takes and returns rich text (descriptions, comment
 * bodies) as ADF documents: `{ type: "doc", version: 1, content: [paragraph, ...] }`, whose
 * leaves are `text`, `hardBreak`, `mention` (`attrs.id` is the account id), `emoji`,
 * `inlineCard` ... Webhooks (REST v2 shapes) send the same fields as wiki-markup strings, where
 * a mention is written `[~accountid:<id>]`.
 *
 * Agents read and write plain text: `fromText` makes paragraphs of blank-line separated blocks
 * (single newlines become hard breaks) and turns `[~accountid:<id>]` into mention nodes;
 * `toText` flattens any document readably and never fails on node types it does not know.
 */
import { Schema } from "effect"

export interface AdfNode {
  readonly type: string
  readonly text?: string | undefined
  readonly attrs?: { readonly [key: string]: unknown } | undefined
  readonly content?: ReadonlyArray<AdfNode> | undefined
}

export const AdfNode: Schema.Codec<AdfNode, unknown> = Schema.Struct({
  type: Schema.String,
  text: Schema.optional(Schema.String),
  attrs: Schema.optional(Schema.Record(Schema.String, Schema.Unknown)),
  content: Schema.optional(Schema.Array(Schema.suspend((): Schema.Codec<AdfNode, unknown> => AdfNode)))
})

/** Rich text as Jira sends it: wiki markup (webhooks), an ADF document (REST v3), or nothing. */
export const JiraText = Schema.NullOr(Schema.Union([Schema.String, AdfNode]))
export type JiraText = typeof JiraText.Type

const MENTION = /\[~accountid:([^\]\s]+)\]/g

const inline = (text: string): Array<Schema.Json> => {
  const nodes: Array<Schema.Json> = []
  let last = 0
  for (const match of text.matchAll(MENTION)) {
    if (match.index > last) nodes.push({ type: "text", text: text.slice(last, match.index) })
    nodes.push({ type: "mention", attrs: { id: match[1] ?? "" } })
    last = match.index + match[0].length
  }
  if (last < text.length) nodes.push({ type: "text", text: text.slice(last) })
  return nodes
}

/** Plain text as an ADF document. */
export const fromText = (text: string): Schema.Json => ({
  type: "doc",
  version: 1,
  content: text.replace(/\r\n?/g, "\n").split(/\n{2,}/).filter((block) => block.trim().length > 0).map((block) => ({
    type: "paragraph",
    content: block.split("\n").flatMap((line, index): Array<Schema.Json> => [
      ...(index > 0 ? [{ type: "hardBreak" }] : []),
      ...inline(line)
    ])
  }))
})

const attr = (node: AdfNode, key: string): string => {
  const value = node.attrs?.[key]
  return typeof value === "string" ? value : ""
}

const BLOCKS = new Set(["paragraph", "heading", "blockquote", "codeBlock", "rule", "panel", "mediaSingle", "table", "tableRow"])

const render = (node: AdfNode): string => {
  const inner = (node.content ?? []).map(render)
  switch (node.type) {
    case "text":
      return node.text ?? ""
    case "hardBreak":
      return "\n"
    case "mention": {
      const shown = attr(node, "text")
      return shown.length > 0 ? (shown.startsWith("@") ? shown : `@${shown}`) : `[~accountid:${attr(node, "id")}]`
    }
    case "emoji":
      return attr(node, "text") || attr(node, "shortName")
    case "inlineCard":
    case "blockCard":
      return attr(node, "url")
    case "bulletList":
      return inner.map((item) => `- ${item.trim()}`).join("\n") + "\n\n"
    case "orderedList":
      return inner.map((item, index) => `${index + 1}. ${item.trim()}`).join("\n") + "\n\n"
    case "listItem":
      return inner.join("").trim()
    case "codeBlock":
      return "```\n" + inner.join("") + "\n```\n\n"
    case "tableCell":
    case "tableHeader":
      return inner.join(" ").trim() + " | "
    default:
      return BLOCKS.has(node.type) ? inner.join("") + "\n\n" : inner.join("")
  }
}

/** Any rich text as plain text. */
export const toText = (value: JiraText | undefined): string =>
  value === undefined || value === null ? "" : typeof value === "string" ? value : render(value).replace(/\n{3,}/g, "\n\n").trim()

const collectMentions = (node: AdfNode): Array<string> =>
  node.type === "mention" ? [attr(node, "id")] : (node.content ?? []).flatMap(collectMentions)

/** The account ids a text mentions, in either form. */
export const mentionedAccountIds = (value: JiraText | undefined): ReadonlyArray<string> =>
  value === undefined || value === null
    ? []
    : typeof value === "string"
    ? [...value.matchAll(MENTION)].map((match) => match[1] ?? "")
    : collectMentions(value).filter((id) => id.length > 0)
