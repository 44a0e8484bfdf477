/**
 * Acceptance 4, rate limits as GitHub documents them, through MCP against the fake: a
 * secondary limit with `retry-after` is a tool error that says when to retry, and no retry
 * storm follows (the call is not repeated, and calls made while GitHub said to wait do not
 * reach it); a short `retry-after` is sat out once; a primary limit waits for
 * `x-ratelimit-reset`; a 429 without a wait is a minute, as GitHub's docs say.
 */
import type { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { afterEach, describe, expect, it } from "vitest"
import * as Payloads from "../../../sandbox/fakes/github/payloads.ts"
import { call, deliver, deliveryOf, failed, type GitHubWorld, ok, startWorld } from "../../support/github.ts"

const repo = "acme/widgets"

const reachedGitHub = (world: GitHubWorld) =>
  world.github.control.requests().filter((entry) => entry.path.startsWith("/repos/"))

describe("GitHub rate limits", () => {
  let world: GitHubWorld
  let client: Client
  let number: number

  const start = async () => {
    world = await startWorld()
    const item = world.github.control.seedIssue(repo, { title: "Busy", body: `@${world.app.slug} go` })
    number = item.number
    await deliver(world, Payloads.issues(world.where("ada"), "opened", item), "rl-start")
    client = await world.kernel.mcpClient(await deliveryOf(world, "rl-start"))
  }

  afterEach(async () => {
    await client.close()
    await world.close()
  })

  it("a secondary limit says when to retry, and neither the call nor others made meanwhile reach GitHub again", async () => {
    await start()
    world.github.control.forceRateLimit({ kind: "secondary", retryAfterSeconds: 60 })
    const limited = await failed(client, "create_comment", { repo, number, body: "Looking" })
    expect(limited).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 60 })
    expect(limited.message).toMatch(/secondary rate limit.*retry in 60s/)
    expect(limited.text).toContain("retry after 60 s")
    expect(reachedGitHub(world).map((entry) => entry.status)).toEqual([403])

    const meanwhile = await Promise.all(Array.from({ length: 10 }, () => call(client, "get_issue", { repo, number })))
    for (const answer of meanwhile) {
      expect(answer.isError).toBe(true)
      expect(answer.structuredContent).toMatchObject({ error: { reason: "RateLimited", retryAfterSeconds: expect.any(Number) } })
    }
    expect(reachedGitHub(world)).toHaveLength(1)
    expect(world.github.control.comments(repo, number)).toEqual([])
  })

  it("a short retry-after is sat out once, then the call succeeds", async () => {
    await start()
    world.github.control.forceRateLimit({ kind: "secondary", retryAfterSeconds: 1, status: 429 })
    const started = Date.now()
    expect(await ok(client, "get_issue", { repo, number })).toMatchObject({ number })
    expect(Date.now() - started).toBeGreaterThanOrEqual(900)
    expect(reachedGitHub(world).map((entry) => entry.status)).toEqual([429, 200])
  })

  it("retries at most once: a second limited answer is returned to the agent", async () => {
    await start()
    world.github.control.forceRateLimit({ kind: "secondary", retryAfterSeconds: 1, count: 5 })
    expect(await failed(client, "get_issue", { repo, number })).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 1 })
    expect(reachedGitHub(world).map((entry) => entry.status)).toEqual([403, 403])
  })

  it("a primary limit waits until x-ratelimit-reset", async () => {
    await start()
    world.github.control.forceRateLimit({ kind: "primary", resetInSeconds: 900 })
    const limited = await failed(client, "list_comments", { repo, number })
    expect(limited.reason).toBe("RateLimited")
    expect(limited.retryAfterSeconds).toBeGreaterThan(890)
    expect(limited.retryAfterSeconds).toBeLessThanOrEqual(900)
    expect(limited.message).toContain("primary rate limit")
    expect(reachedGitHub(world)).toHaveLength(1)
  })

  it("a secondary limit without retry-after waits a minute", async () => {
    await start()
    world.github.control.forceRateLimit({ kind: "secondary", retryAfterSeconds: null, status: 429 })
    expect(await failed(client, "get_issue", { repo, number })).toMatchObject({ reason: "RateLimited", retryAfterSeconds: 60 })
    expect(reachedGitHub(world)).toHaveLength(1)
  })
})
