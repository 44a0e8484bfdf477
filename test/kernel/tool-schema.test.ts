import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { defineTool } from "../../kernel/provider/Tool.ts"

describe("defineTool", () => {
  it("derives the input's JSON Schema on first read, once, not when the tool is defined", () => {
    let derived = 0
    // The thunk runs whenever something walks the schema: here, only the JSON Schema derivation.
    const Note = Schema.suspend(() => {
      derived++
      return Schema.String
    })
    const tool = defineTool({
      name: "note",
      title: "Note",
      description: "Takes a note",
      input: Schema.Struct({ text: Note }),
      scope: "notes:write",
      annotations: { readOnly: false, destructive: false, idempotent: false },
      execute: () => Effect.succeed({ ok: true })
    })
    expect(derived).toBe(0)
    const schema = tool.inputJsonSchema
    expect(schema).toMatchObject({ type: "object", required: ["text"] })
    expect(derived).toBeGreaterThan(0)
    const after = derived
    expect(tool.inputJsonSchema).toBe(schema)
    expect(derived).toBe(after)
  })
})
