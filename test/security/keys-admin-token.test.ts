/**
 * A weak SWITCHBOARD_ADMIN_TOKEN fails startup with a message naming the variable: the config
 * layer fails, `makeApp` logs it and answers 503 (as on every runtime), and a strong one starts.
 */
import { ConfigProvider, Effect, Layer } from "effect"
import { describe, expect, it, vi } from "vitest"
import { adminTokenWeakness, KernelConfig } from "../../kernel/KernelConfig.ts"
import { startTestKernel } from "../support/kernel.ts"

const base = { MCP_SIGNING_KEY: "s".repeat(48), SWITCHBOARD_VAULT_KEYS: `k1:${btoa("v".repeat(32))}` }

const load = (env: Record<string, string>) =>
  Effect.runPromiseExit(
    Effect.map(KernelConfig, (config) => config.adminToken).pipe(
      Effect.provide(KernelConfig.layerConfig.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env)))))
    )
  )

describe("admin token strength", () => {
  it.each([
    ["short", "Kx9_2mQ7"],
    ["31 characters", "abcdefghijklmnopqrstuvwxyz01234"],
    ["repeated characters", "ab".repeat(24)]
  ])("refuses a weak token (%s) at startup, naming the variable", async (_, token) => {
    const exit = await load({ ...base, SWITCHBOARD_ADMIN_TOKEN: token })
    expect(exit._tag).toBe("Failure")
    expect(String(exit._tag === "Failure" ? exit.cause : "")).toMatch(/SWITCHBOARD_ADMIN_TOKEN is too weak/)
  })

  it("accepts a generated token and no token at all", async () => {
    expect(adminTokenWeakness(`sba_${"Ab3_xY9-qR7tLm2Kp8Zw5Nc4Vd6Ge1Hj"}`)).toBeUndefined()
    expect((await load({ ...base, SWITCHBOARD_ADMIN_TOKEN: "Ab3_xY9-qR7tLm2Kp8Zw5Nc4Vd6Ge1Hj0" }))._tag).toBe("Success")
    expect((await load(base))._tag).toBe("Success")
  })

  it("a kernel with a weak token does not start: 503 and the reason logged", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {})
    const kernel = await startTestKernel({ env: { SWITCHBOARD_ADMIN_TOKEN: "admin_test_token" } })
    try {
      const response = await kernel.request("/v1/integrations")
      expect(response.status).toBe(503)
      expect(await response.text()).not.toContain("SWITCHBOARD_ADMIN_TOKEN")
      expect(errors.mock.calls.map((call) => call.map(String).join(" ")).join("\n")).toMatch(/SWITCHBOARD_ADMIN_TOKEN is too weak/)
    } finally {
      errors.mockRestore()
      await kernel.close().catch(() => {})
    }
  })
})
