/** The embedding example in the README works: the kernel's routes and the host's share one router. */
import { afterAll, describe, expect, it } from "vitest"
import { makeHandler } from "../../examples/embed.ts"

describe("embedding Kernel.layer", () => {
  const random = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))))
  const app = makeHandler({ MCP_SIGNING_KEY: random(), SWITCHBOARD_VAULT_KEYS: `k1:${random()}` })
  afterAll(() => app.dispose())

  it("serves the kernel's routes and the host's own", async () => {
    const health = await app.handler(new Request("http://host/health"))
    expect(await health.json()).toEqual({ ok: true })
    const integrations = await app.handler(new Request("http://host/v1/integrations"))
    expect((await integrations.json()).integrations.map((entry: { id: string }) => entry.id)).toContain("linear")
    const hello = await app.handler(new Request("http://host/hello"))
    expect(await hello.text()).toBe("hello from the host app")
  })
})
