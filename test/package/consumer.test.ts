/**
 * The package as a user gets it: `npm pack` (which builds dist/), installed with `effect` into a
 * fresh app in a temporary folder, type-checked by the app's own tsc run (libraries included),
 * then run as plain JavaScript on Node and on Bun. Each run serves a signed Linear webhook, a
 * bad signature, the admin and tenant APIs and the app's own route, and exits 0 on SIGTERM.
 */
import { execFile } from "node:child_process"
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { promisify } from "node:util"
import { Effect, Schema } from "effect"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { signLinearWebhook } from "../../sandbox/fakes/linear/sign.ts"
import { startApp } from "./app.ts"
import { appPackageJson, appSource, appTsconfig } from "./consumerApp.ts"
import { repoRoot } from "./entries.ts"

const run = promisify(execFile)

/** Runs a command; its output only shows up in the error when it fails. */
const quietly = async (command: string, args: ReadonlyArray<string>, cwd: string): Promise<void> => {
  try {
    await run(command, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 })
  } catch (error) {
    const output = (name: "stdout" | "stderr") =>
      typeof error === "object" && error !== null && name in error ? String(Reflect.get(error, name)) : ""
    throw new Error(`${command} ${args.join(" ")} failed in ${cwd}:\n${output("stdout")}\n${output("stderr")}`)
  }
}

const TenantCreated = Schema.Struct({ apiKey: Schema.String })

const random = (bytes: number) => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(bytes))))

const secrets = {
  MCP_SIGNING_KEY: random(32),
  SWITCHBOARD_VAULT_KEYS: `k1:${random(32)}`,
  SWITCHBOARD_ADMIN_TOKEN: `adm_${random(24).replace(/[+/=]/g, "")}${random(24).replace(/[+/=]/g, "")}`,
  LINEAR_WEBHOOK_SECRET: `lin_wh_${random(18)}`
}

describe("the packed package in a fresh app", { timeout: 90_000 }, () => {
  let root = ""
  let app = ""

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "switchboard-consumer-"))
    const pack = join(root, "pack")
    app = join(root, "app")
    mkdirSync(pack)
    mkdirSync(app)
    await quietly("npm", ["pack", "--pack-destination", pack], repoRoot)
    const tarball = readdirSync(pack).find((name) => name.endsWith(".tgz"))
    if (tarball === undefined) throw new Error("npm pack made no tarball")
    writeFileSync(join(app, "package.json"), appPackageJson)
    writeFileSync(join(app, "tsconfig.json"), appTsconfig)
    writeFileSync(join(app, "app.ts"), appSource)
    // Offline from npm's cache. Install scripts are skipped: better-sqlite3 would compile for two
    // minutes (no prebuilt binary is reachable); the repo's build of the same version is copied in.
    await quietly("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", join(pack, tarball), "effect@4.1.5"], app)
    const addon = "node_modules/better-sqlite3/build/Release"
    mkdirSync(join(app, addon), { recursive: true })
    copyFileSync(join(repoRoot, addon, "better_sqlite3.node"), join(app, addon, "better_sqlite3.node"))
  }, 90_000)

  afterAll(() => {
    if (root !== "") rmSync(root, { recursive: true, force: true })
  })

  it("type-checks and compiles with the app's own tsc", async () => {
    await quietly(join(repoRoot, "node_modules/.bin/tsc"), ["-p", "tsconfig.json"], app)
  })

  for (const runtime of ["node", "bun"] as const) {
    it(`runs on ${runtime}: a webhook, the management API, its own route, a clean stop`, async () => {
      const command = runtime === "node" ? process.execPath : join(repoRoot, "node_modules/.bin/bun")
      const running = await startApp({ command, args: ["dist/app.js"], cwd: app, env: { PATH: process.env["PATH"] ?? "", ...secrets } })
      try {
        const own = await fetch(`${running.baseUrl}/host/runtime`)
        expect(await own.text()).toBe(runtime)

        const signed = await Effect.runPromise(signLinearWebhook({
          secret: secrets.LINEAR_WEBHOOK_SECRET,
          payload: { type: "Issue", action: "update", organizationId: "org_consumer", data: { id: "issue_1" } }
        }))
        const webhook = (headers: Readonly<Record<string, string>>) =>
          fetch(`${running.baseUrl}/webhook/linear`, { method: "POST", headers, body: signed.body })
        const accepted = await webhook(signed.headers)
        expect(accepted.status).toBe(200)
        expect(await accepted.json()).toEqual({ ok: true, status: "accepted" })
        const forged = await webhook({ ...signed.headers, "linear-signature": "0".repeat(64), "linear-delivery": crypto.randomUUID() })
        expect(forged.status).toBe(401)

        const created = await fetch(`${running.baseUrl}/v1/tenants`, {
          method: "POST",
          headers: { authorization: `Bearer ${secrets.SWITCHBOARD_ADMIN_TOKEN}`, "content-type": "application/json" },
          body: JSON.stringify({ name: "Consumer" })
        })
        expect(created.status).toBe(201)
        const { apiKey } = Schema.decodeUnknownSync(TenantCreated)(await created.json())
        const installations = await fetch(`${running.baseUrl}/v1/installations`, { headers: { authorization: `Bearer ${apiKey}` } })
        expect(installations.status).toBe(200)
        expect(await installations.json()).toEqual({ installations: [] })
      } finally {
        expect(await running.stop(), running.output()).toBe(0)
      }
    })
  }
})
