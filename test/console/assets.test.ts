/**
 * The Console as served by the kernel: the embedded assets match their sources (run
 * `npm run console:build` after editing console/app/*.js or app.css), every module parses, and
 * the page and assets carry the security and cache headers.
 */
import { spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { scripts, version } from "../../console/assets.ts"
import { assetsFile, renderAssets } from "../../console/build.ts"
import { startTestKernel, type TestKernel } from "../support/kernel.ts"

describe("Console assets", () => {
  let kernel: TestKernel
  beforeAll(async () => {
    kernel = await startTestKernel()
  })
  afterAll(() => kernel.close())

  it("are in sync with console/app/*.js and console/app.css", () => {
    expect(readFileSync(assetsFile, "utf8"), "console/assets.ts is stale: run `npm run console:build`").toBe(renderAssets())
  })

  it("ship modules that parse and import only each other", () => {
    expect(Object.keys(scripts)).toContain("main.js")
    for (const [name, source] of Object.entries(scripts)) {
      const checked = spawnSync(process.execPath, ["--input-type=module", "--check"], { input: source, encoding: "utf8" })
      expect(checked.status, `${name}: ${checked.stderr}`).toBe(0)
      for (const [, imported] of source.matchAll(/from "\.\/([^"]+)"/g)) expect(Object.keys(scripts), name).toContain(imported)
      expect(source, name).not.toMatch(/from "(?!\.\/)/)
    }
  })

  it("serve the page at / with a strict Content-Security-Policy", async () => {
    const response = await kernel.request("/")
    expect(response.status).toBe(200)
    expect(response.headers.get("content-type")).toContain("text/html")
    expect(response.headers.get("content-security-policy")).toContain("script-src 'self'")
    expect(response.headers.get("referrer-policy")).toBe("no-referrer")
    const html = await response.text()
    expect(html).toContain(`<script type="module" src="/console/${version}/main.js">`)
    expect(html).toMatch(/<main id="main"/)
    expect(html).not.toMatch(/<script>|style=/)
  })

  it("cache this version's files for good, and answer older versions uncached", async () => {
    const current = await kernel.request(`/console/${version}/shell.js`)
    expect(current.headers.get("content-type")).toContain("text/javascript")
    expect(current.headers.get("cache-control")).toContain("immutable")
    expect(await current.text()).toBe(scripts["shell.js"])
    const css = await kernel.request(`/console/${version}/app.css`)
    expect(css.headers.get("content-type")).toContain("text/css")
    const older = await kernel.request("/console/0123456789ab/main.js")
    expect(older.status).toBe(200)
    expect(older.headers.get("cache-control")).toBe("no-cache")
    const missing = await kernel.request(`/console/${version}/secrets.js`)
    expect(missing.status).toBe(404)
    const outside = await kernel.request(`/console/${version}/toString`)
    expect(outside.status).toBe(404)
  })
})
