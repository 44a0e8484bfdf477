/**
 * The dev command's ports: a port already taken (another `npm run dev`, say) ends the start with
 * one message naming the port and how to choose others, no stack trace; on a port other than
 * 8787 the printed hints name that port; the sandbox addresses it prints answer a page saying
 * what they are, with the way to the Console, instead of the API's 404 JSON.
 */
import { spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { createServer, type Server as NetServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { freePort, inheritedEnv, repoRoot } from "../matrix/processes.ts"
import { type DevCommand, startDevCommand } from "./devCommand.ts"

const dataDir = mkdtempSync(join(tmpdir(), "switchboard-dev-ports-"))
let taken: NetServer
let takenPort: number

beforeAll(async () => {
  taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve))
  const address = taken.address()
  takenPort = typeof address === "object" && address !== null ? address.port : 0
})

afterAll(async () => {
  await new Promise((resolve) => taken.close(resolve))
  rmSync(dataDir, { recursive: true, force: true })
})

/** `npm run dev` with these ports, to its exit (it must not stay up). */
const devExit = (env: Record<string, string>) =>
  new Promise<{ readonly code: number | null; readonly output: string }>((resolve, reject) => {
    const child = spawn("npm", ["run", "dev"], {
      cwd: repoRoot,
      env: { ...inheritedEnv(), HOST: "127.0.0.1", SWITCHBOARD_DEV_DATA: join(dataDir, "refused"), NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true
    })
    let output = ""
    child.stdout.on("data", (chunk: Buffer) => void (output += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (output += chunk.toString()))
    const timer = setTimeout(() => child.pid !== undefined && process.kill(-child.pid, "SIGKILL"), 60_000)
    child.once("error", reject)
    child.once("close", (code) => {
      clearTimeout(timer)
      resolve({ code, output })
    })
  })

const noStack = (output: string) => expect(output).not.toMatch(/^\s+at /m)

describe("npm run dev on a port in use", () => {
  it("names Switchboard's port and how to choose another, and exits 1", async () => {
    const { code, output } = await devExit({ PORT: String(takenPort), SANDBOX_PORT: "0" })
    expect(code, output).not.toBe(0)
    expect(output).toContain(`port ${takenPort} (Switchboard) is in use: is another \`npm run dev\``)
    expect(output).toMatch(/PORT=9\d00 npm run dev/)
    expect(output).toContain("SANDBOX_PORT=0 npm run dev")
    noStack(output)
  }, 90_000)

  it("names the sandbox's port when a fake's is the one taken", async () => {
    const { code, output } = await devExit({ PORT: String(await freePort()), SANDBOX_PORT: String(takenPort) })
    expect(code, output).not.toBe(0)
    expect(output).toContain(`port ${takenPort} (the Linear sandbox) is in use`)
    noStack(output)
  }, 90_000)
})

describe("npm run dev on another port", () => {
  let dev: DevCommand
  beforeAll(async () => {
    mkdirSync(join(dataDir, "running"))
    dev = await startDevCommand({ dataDir: join(dataDir, "running"), name: "dev-ports" })
  }, 90_000)
  afterAll(() => dev?.stop())

  it("prints hints that name its own address", () => {
    expect(dev.publicUrl).not.toBe("http://localhost:8787")
    expect(dev.log()).toMatch(new RegExp(`node bin/switchboard\\.js simulate linear \\S+ --url ${dev.publicUrl.replace(/[.:/]/g, "\\$&")}`))
  })

  it("prints sandbox addresses that answer a page saying what they are", async () => {
    const printed = [...dev.log().matchAll(/Sandbox\s+(\w+): (http:\/\/\S+)/g)]
    expect(printed.map((match) => match[1])).toEqual(["Linear", "Slack", "GitHub", "Jira"])
    for (const [, name, url] of printed) {
      const response = await fetch(url!, { headers: { accept: "text/html" } })
      expect(response.status, `${name} at ${url}`).toBe(200)
      expect(response.headers.get("content-type")).toContain("text/html")
      const html = await response.text()
      expect(html).toContain(`<h1>Sandbox: fake ${name}</h1>`)
      expect(html).toContain(`<a href="${dev.publicUrl}">Open the Switchboard Console</a>`)
    }
  })
})
