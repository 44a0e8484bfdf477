/**
 * The Console as served by the kernel: the embedded assets match their sources (run
 * `npm run console:build` after editing console/app.js or app.css), the script parses, and the
 * page and assets carry the security and cache headers.
 */
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { appJs, version } from "../../console/assets.ts"
import { assetsFile, renderAssets } from "../../console/build.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

describe("Console assets", () => {
  let kernel: TestKernel
  beforeAll(async () => {
    kernel = await startTestKernel()
  })
  afterAll(() => kernel.close())

  it("are in sync with console/app.js and console/app.css", () => {
    expect(readFileSync(assetsFile, "utf8"), "console/assets.ts is stale: run `npm run console:build`").toBe(renderAssets())
  })

  it("ship a script that parses", () => {
    expect(() => new Function(appJs)).not.toThrow()
  })

  it("serve the page at / with a strict Content-Security-Policy", async () => {
    const response = await kernel.request("/")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/html")
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'")
    expect(response.headers.get("referrer-policy")).toBe("no-referrer")
    const html = await response.text()
    expect(html).toContain(`/console/app.js?v=${version}`)
    expect(html).toMatch(/<main id="main"/)
    expect(html).not.toMatch(/<script>|style=/)
  })

  it("cache versioned assets for good and unversioned ones never", async () => {
    const versioned = await kernel.request(`/console/app.js?v=${version}`)
    expect(versioned.headers.get("content-type")).toContain("text/javascript")
    expect(versioned.headers.get("cache-control")).toContain("immutable")
    expect(await versioned.text()).toBe(appJs)
    const css = await kernel.request("/console/app.css")
    expect(css.headers.get("content-type")).toContain("text/css")
    expect(css.headers.get("cache-control")).toBe("no-cache")
  })
})
