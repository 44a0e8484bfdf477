/** The preflight's findings, variable by variable: missing, invalid, and nothing when all is usable. */
import { describe, expect, it } from "vitest"
import { base64Encode } from "../../kernel/encoding/Encoding.ts"
import { message, problems } from "../../runtimes/shared/preflight.ts"

const usable = {
  SWITCHBOARD_PUBLIC_URL: "https://switchboard.example",
  MCP_SIGNING_KEY: "s".repeat(48),
  SWITCHBOARD_VAULT_KEYS: `k1:${base64Encode(new Uint8Array(32).fill(3))}`
}

describe("preflight", () => {
  it("finds nothing in usable settings, bindings and all", () => {
    expect(problems({ ...usable, DB: { prepare: () => undefined } })).toEqual([])
  })

  it("lists every required variable that is missing or blank", () => {
    expect(problems({ MCP_SIGNING_KEY: "  " })).toEqual([
      expect.stringMatching(/^SWITCHBOARD_PUBLIC_URL is missing: /),
      "MCP_SIGNING_KEY is missing: 32+ random bytes; `npx switchboard keys generate` prints one",
      expect.stringMatching(/^SWITCHBOARD_VAULT_KEYS is missing: .*keys generate/)
    ])
  })

  it("names each invalid value with its variable, all at once", () => {
    const found = problems({
      ...usable,
      SWITCHBOARD_PUBLIC_URL: "localhost:8787",
      SWITCHBOARD_ADMIN_TOKEN: "short",
      SWITCHBOARD_MAX_BODY_BYTES: "lots",
      SWITCHBOARD_SESSIONS_TIMEOUT: "soon",
      PORT: "99999"
    })
    expect(found).toHaveLength(5)
    expect(found[0]).toMatch(/^SWITCHBOARD_PUBLIC_URL is invalid \("localhost:8787" is not an http\(s\) URL\)/)
    expect(found[1]).toMatch(/^SWITCHBOARD_ADMIN_TOKEN is too weak: it has 5 characters/)
    expect(found[2]).toMatch(/^SWITCHBOARD_MAX_BODY_BYTES is invalid \(.+\): a whole number of bytes/)
    expect(found[3]).toMatch(/^SWITCHBOARD_SESSIONS_TIMEOUT is invalid \(.+\): a duration/)
    expect(found[4]).toMatch(/^PORT is invalid \("99999"\)/)
  })

  it("says it as one message, a line per variable", () => {
    expect(message("node", ["A is missing: x", "B is missing: y"])).toBe(
      "switchboard (node) cannot start: 2 settings need attention\n  - A is missing: x\n  - B is missing: y\n" +
        "Set them in the environment (see Configuration in the README) and start again."
    )
  })
})
