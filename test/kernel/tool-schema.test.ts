import { describe, expect, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { ProviderId } from "../../kernel/domain/Ids.ts"
import type { IntegrationProvider } from "../../kernel/provider/Provider.ts"
import { defineTool } from "../../kernel/provider/Tool.ts"
import { startTestKernel } from "../support/kernel.ts"
import { noWebhook } from "../support/noWebhook.ts"

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

describe("the kernel's start", () => {
  it("derives no tool's JSON Schema until something lists the tools", async () => {
    let derived = 0
    const Text = Schema.suspend(() => {
      derived++
      return Schema.String
    })
    const notes: IntegrationProvider = {
      id: ProviderId.make("notes"),
      displayName: "Notes",
      description: "A test vendor",
      install: [],
      webhook: noWebhook,
      tools: [defineTool({
        name: "note",
        title: "Note",
        description: "Takes a note",
        input: Schema.Struct({ text: Text }),
        scope: "all",
        annotations: { readOnly: false, destructive: false, idempotent: false },
        execute: () => Effect.succeed({ ok: true })
      })],
      scopes: [{ name: "all", description: "everything" }],
      granularities: ["workspace"],
      filters: []
    }
    const kernel = await startTestKernel({ providers: [Effect.succeed(notes)] })
    try {
      // Health and details build every route's layer, the details one looking at each provider.
      expect((await kernel.request("/health")).status).toBe(200)
      expect((await kernel.request("/health/details", { apiKey: kernel.secrets.admin })).status).toBe(200)
      expect(derived).toBe(0)
      const listed = await (await kernel.request("/v1/integrations")).text()
      expect(listed).toContain(`"required":["text"]`)
      expect(derived).toBeGreaterThan(0)
    } finally {
      await kernel.close()
    }
  })
})
