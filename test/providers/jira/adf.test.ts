/** Text ⇄ ADF: paragraphs, hard breaks, mentions both ways, and any document flattened readably. */
import { Schema } from "effect"
import { describe, expect, it } from "vitest"
import { AdfNode, fromText, mentionedAccountIds, toText } from "../../../providers/jira/client/JiraAdf.ts"

const decode = Schema.decodeUnknownSync(AdfNode)

describe("JiraAdf", () => {
  it("makes paragraphs of blank-line blocks, hard breaks of newlines, mention nodes of [~accountid:]", () => {
    expect(fromText("Hello [~accountid:abc123]\nsecond line\n\nNew paragraph")).toEqual({
      type: "doc",
      version: 1,
      content: [
        { type: "paragraph", content: [{ type: "text", text: "Hello " }, { type: "mention", attrs: { id: "abc123" } }, { type: "hardBreak" }, { type: "text", text: "second line" }] },
        { type: "paragraph", content: [{ type: "text", text: "New paragraph" }] }
      ]
    })
  })

  it("round-trips plain text, and reads its own mentions back", () => {
    const text = "First [~accountid:abc123] line\nnext\n\nSecond paragraph"
    const document = decode(fromText(text))
    expect(toText(document)).toBe(text)
    expect(mentionedAccountIds(document)).toEqual(["abc123"])
    expect(mentionedAccountIds("hi [~accountid:557058:f1e2] and [~accountid:5b10ac]")).toEqual(["557058:f1e2", "5b10ac"])
  })

  it("flattens lists, code, cards, emoji and unknown nodes", () => {
    const document = decode({
      type: "doc",
      version: 1,
      content: [
        { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Steps" }] },
        { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "open" }] }] }, { type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "click" }] }] }] },
        { type: "codeBlock", attrs: { language: "ts" }, content: [{ type: "text", text: "crash()" }] },
        { type: "paragraph", content: [{ type: "emoji", attrs: { shortName: ":smile:", text: "😄" } }, { type: "text", text: " see " }, { type: "inlineCard", attrs: { url: "https://example.com" } }, { type: "futureNode", content: [{ type: "text", text: " ok" }] }] }
      ]
    })
    expect(toText(document)).toBe("Steps\n\n- open\n- click\n\n```\ncrash()\n```\n\n😄 see https://example.com ok")
    expect(toText(null)).toBe("")
    expect(toText("wiki *markup* stays")).toBe("wiki *markup* stays")
  })
})
