/**
 * `switchboard simulate` (and `tenants create` over HTTP) against the Workers entrypoint under
 * `wrangler dev` with local D1, started by the runtime matrix's harness with its fake Linear and
 * session receiver: the CLI signs the event, the Worker verifies and stores it, the dispatch
 * reaches the receiver, and the CLI follows it to "delivered".
 */
import { spawn } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { makeActors } from "../matrix/actors.ts"
import { makeRuntimeClient } from "../matrix/client.ts"
import { useMatrix } from "../matrix/harness.ts"
import { repoRoot } from "../matrix/processes.ts"

/** Runs the CLI without blocking this process: the fake Linear it talks to is served from here. */
const cli = (argv: ReadonlyArray<string>) =>
  new Promise<{ readonly status: number | null; readonly stdout: string; readonly stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [join(repoRoot, "bin", "switchboard.js"), ...argv], {
      cwd: repoRoot,
      // No dev data and no ambient secrets: everything comes from the flags.
      env: { PATH: process.env["PATH"] ?? "", HOME: process.env["HOME"] ?? "", SWITCHBOARD_DEV_DATA: "/nonexistent" }
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()))
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()))
    const timer = setTimeout(() => child.kill("SIGKILL"), 90_000)
    child.once("error", reject)
    child.once("close", (status) => {
      clearTimeout(timer)
      resolve({ status, stdout, stderr })
    })
  })

describe("switchboard CLI against Workers (wrangler dev, local D1)", { timeout: 120_000 }, () => {
  const context = useMatrix("workers")
  const actors = makeActors(context, makeRuntimeClient(() => context().baseUrl))

  it("creates a tenant over HTTP and simulates a signed Linear webhook that reaches the agent", async () => {
    const { baseUrl, fakes, secrets } = context()
    const tenant = await cli(["tenants", "create", "workers-cli", "--url", baseUrl, "--admin-token", secrets.adminToken])
    expect(tenant.status, tenant.stderr).toBe(0)
    const apiKey = tenant.stdout.trim()
    expect(apiKey).toMatch(/^sbk_/)

    const installationId = await actors.installLinear(apiKey)
    await actors.createPublication(apiKey, installationId, "workers-agent", ["issues:read", "comments:write"])
    const before = fakes.sessions.deliveries.length

    const result = await cli([
      "simulate", "linear", "agent-session",
      "--url", baseUrl,
      "--secret", secrets.linearWebhookSecret,
      "--sandbox", fakes.linear.url,
      "--api-key", apiKey,
      "--timeout", "60"
    ])
    expect(result.stderr).toContain(`POST ${baseUrl}/webhook/linear`)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/dispatch to workers-agent delivered/)
    const deliveryId = result.stdout.trim().split("\n")[0]

    const received = await fakes.sessions.waitFor(before + 1, 30_000)
    const dispatch = received.at(-1)!.delivery.dispatch
    expect(dispatch.deliveryId).toBe(deliveryId)
    expect(dispatch.agentId).toBe("workers-agent")
    // The event named an issue the sandbox made in the fake, so the agent's tools would find it.
    const issueId = dispatch.context["issueId"]
    expect(typeof issueId === "string" && fakes.linear.control.issue(issueId) !== undefined).toBe(true)
  })

  it("reports a wrong secret as the Worker's 401", async () => {
    const { baseUrl } = context()
    const result = await cli(["simulate", "linear", "--url", baseUrl, "--secret", "wrong", "--no-sandbox", "--no-wait"])
    expect(result.status).toBe(1)
    expect(result.stderr).toContain("Switchboard answered 401 (BadSignature")
  })
})
