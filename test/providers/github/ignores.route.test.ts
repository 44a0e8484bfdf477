/**
 * Acceptance 1, the ignores: every delivery that is not a trigger is still acknowledged (2xx)
 * and recorded as ignored with its reason, including events and fields Switchboard does not
 * model. The bot's own events are ignored, so the agent never answers itself. `ping` is
 * answered; a duplicate `X-GitHub-Delivery` is acknowledged once; `installation` deleted and
 * suspended revoke the installation; `github_app_authorization` revoked leaves it alone.
 */
import { afterEach, describe, expect, it } from "vitest"
import { issueView } from "../../../sandbox/fakes/github/FakeGitHubViews.ts"
import * as Payloads from "../../../sandbox/fakes/github/payloads.ts"
import { deliver, deliveryOf, type GitHubWorld, ignoredWith, installations, send, startWorld } from "../../support/github.ts"

describe("GitHub deliveries that are not triggers", () => {
  let world: GitHubWorld

  afterEach(async () => {
    await world.close()
  })

  const issue = (title: string, body = "") => world.github.control.seedIssue("acme/widgets", { title, body })

  it("records each ignore with its reason", async () => {
    world = await startWorld()
    const bot = `${world.app.slug}[bot]`
    const mention = `@${world.app.slug}`
    const item = issue("Plain issue", "no mention here")
    const cases: ReadonlyArray<readonly [string, Payloads.Delivery, string | RegExp]> = [
      ["i-no-mention", Payloads.issues(world.where("ada"), "opened", item), `does not mention @${world.app.slug}`],
      ["i-mention-in-email", Payloads.issues(world.where("ada"), "opened", issue("Email", `mail ada${mention}.com`)), "does not mention"],
      ["i-own-bot", Payloads.issues(world.where(bot), "opened", issue("By the bot", `${mention} loop?`)), "caused by this app's own bot"],
      ["i-own-comment", Payloads.issueComment(world.where(bot), "created", item, { body: `${mention} hello me` }), "own bot"],
      [
        "i-app-comment",
        Payloads.issueComment(world.where("ada"), "created", item, { body: `${mention} echo`, author: "ada", viaAppId: world.app.id }),
        "was posted by this app"
      ],
      ["i-assigned-other", Payloads.issues(world.where("ada"), "assigned", item, { assignee: "grace" }), `assigns grace, not ${bot}`],
      ["i-unassigned-other", Payloads.issues(world.where("ada"), "unassigned", item, { assignee: "grace" }), "unassigns grace"],
      ["i-other-label", Payloads.issues(world.where("ada"), "labeled", item, { label: "bug" }), `adds "bug", not a trigger label (agent)`],
      ["i-edited", Payloads.issues(world.where("ada"), "edited", item, { changes: { body: { from: "old" } } }), "issues.edited is not a trigger"],
      ["i-comment-edited", Payloads.issueComment(world.where("ada"), "edited", item, { body: `${mention} edited` }), "only new comments are"],
      ["i-comment-deleted", Payloads.issueComment(world.where("ada"), "deleted", item, { body: "gone" }), "only new comments are"],
      ["i-comment-no-session", Payloads.issueComment(world.where("ada"), "created", item, { body: "just chatting" }), `no live session for github:acme/widgets#${item.number}`],
      ["i-closed-no-session", Payloads.issues(world.where("ada"), "closed", item), "no live session"],
      ["i-installation-created", Payloads.installation(world.github.control.state, "created", world.github.control.installation(world.githubInstallationId), "octocat"), "connected through the install link"],
      ["i-new-permissions", Payloads.installation(world.github.control.state, "new_permissions_accepted", world.github.control.installation(world.githubInstallationId), "octocat"), "installation.new_permissions_accepted needs nothing"]
    ]
    for (const [deliveryId, delivery] of cases) await deliver(world, delivery, deliveryId)
    for (const [deliveryId, , reason] of cases) {
      const row = await ignoredWith(world, deliveryId, reason)
      expect(row.event.status).toBe("ignored")
    }
  })

  it("ignores pull request events that are not for the bot", async () => {
    world = await startWorld()
    const pull = await world.github.control.seedPullRequest("acme/widgets", { title: "A change", head: "feature/a", files: { "a.txt": "a\n" } })
    await deliver(world, Payloads.pullRequest(world.where("ada"), "review_requested", pull, { requestedReviewer: "grace" }), "p-review-other")
    await deliver(world, Payloads.pullRequest(world.where("ada"), "review_requested", pull, { requestedTeam: "Core" }), "p-review-team")
    await deliver(world, Payloads.pullRequest(world.where("ada"), "synchronize", pull), "p-synchronize")
    await deliver(world, Payloads.pullRequestReview(world.where("ada"), "dismissed", pull, { body: null, state: "dismissed" }), "p-dismissed")
    await deliver(world, Payloads.pullRequestReviewComment(world.where("ada"), "edited", pull, { body: "x", path: "a.txt", line: 1 }), "p-rc-edited")
    // GitHub's review-comment payloads carry no performed_via_github_app: the author tells.
    const byApp = { body: `@${world.app.slug} again`, path: "a.txt", line: 1, author: `${world.app.slug}[bot]` }
    await deliver(world, Payloads.pullRequestReviewComment(world.where("ada"), "created", pull, byApp), "p-rc-by-app")
    await ignoredWith(world, "p-review-other", `asks grace for a review, not ${world.app.slug}[bot]`)
    await ignoredWith(world, "p-review-team", "asks the team Core for a review")
    await ignoredWith(world, "p-synchronize", "pull_request.synchronize is not a trigger")
    await ignoredWith(world, "p-dismissed", "only submitted reviews are")
    await ignoredWith(world, "p-rc-edited", "only new review comments are")
    await ignoredWith(world, "p-rc-by-app", "was posted by this app")
  })

  it("accepts events and fields it does not model, and records them as ignored", async () => {
    world = await startWorld()
    const push = {
      ref: "refs/heads/main",
      before: "0".repeat(40),
      after: "1".repeat(40),
      commits: [{ id: "1".repeat(40), message: "wip", author: { name: "Ada" } }],
      repository: { id: world.repo.id, full_name: "acme/widgets" },
      installation: { id: world.githubInstallationId, node_id: "x" },
      sender: { login: "ada", id: 1 }
    }
    await deliver(world, { event: "push", payload: push }, "u-push")
    await deliver(world, { event: "workflow_run", payload: { action: "completed", installation: { id: world.githubInstallationId }, workflow_run: { id: 9 } } }, "u-workflow")
    await deliver(world, { event: "brand_new_event", payload: { action: "sparkled", installation: { id: world.githubInstallationId }, glitter: true } }, "u-unknown")
    const item = issue("With extras", `@${world.app.slug} please`)
    const extras = Payloads.issues(world.where("ada"), "opened", item)
    const issueWithExtras = { ...issueView(world.github.control.state, world.repo, item), sub_issues_summary: { total: 0 }, type: null }
    await deliver(world, { event: extras.event, payload: { ...extras.payload, future_field: { nested: [1, 2, 3] }, issue: issueWithExtras } }, "u-extra-fields")
    await deliver(world, Payloads.issues(world.where("ada"), "pinned", item), "u-unknown-action")
    await ignoredWith(world, "u-push", `GitHub event "push" is not handled by this provider`)
    await ignoredWith(world, "u-workflow", `"workflow_run.completed" is not handled`)
    await ignoredWith(world, "u-unknown", `"brand_new_event.sparkled" is not handled`)
    await ignoredWith(world, "u-unknown-action", "issues.pinned is not a trigger")
    expect((await deliveryOf(world, "u-extra-fields")).dispatch.context).toMatchObject({ trigger: "mention" })
  })

  it("leaves out what a publication's repo and trigger filters exclude", async () => {
    world = await startWorld({ filters: { repo: ["acme/other"] } })
    await world.kernel.publish(world.apiKey, {
      installationId: world.installationId,
      agentId: "agent-labels-only",
      scopes: ["issues:read"],
      granularity: "issue",
      filters: { trigger: ["label"] }
    })
    const item = issue("Filtered", `@${world.app.slug} hi`)
    await deliver(world, Payloads.issues(world.where("ada"), "opened", item), "f-filtered")
    await ignoredWith(world, "f-filtered", /outside this publication's repo filter.*"mention" trigger, which this publication's trigger filter leaves out/)
  })

  it("answers ping, acknowledges a duplicate delivery once, and rejects bad signatures", async () => {
    world = await startWorld()
    const ping = await send(world, Payloads.ping(world.app, `http://switchboard.test/webhook/github/${world.registrationId}`), { deliveryId: "s-ping" })
    expect(ping.status).toBe(200)
    expect(await ping.json()).toEqual({ ok: true, zen: "Design for failure." })

    const item = issue("Twice", `@${world.app.slug} once please`)
    const delivery = Payloads.issues(world.where("ada"), "opened", item)
    expect(await (await send(world, delivery, { deliveryId: "s-dup" })).json()).toEqual({ ok: true, status: "accepted" })
    expect(await (await send(world, delivery, { deliveryId: "s-dup" })).json()).toEqual({ ok: true, status: "duplicate" })
    await deliveryOf(world, "s-dup")
    expect(world.kernel.deliveries.filter((entry) => entry.dispatch.deliveryId === "s-dup")).toHaveLength(1)

    const forged = await send(world, delivery, { deliveryId: "s-forged", secret: "not-the-secret" })
    expect(forged.status).toBe(401)
    expect((await forged.json()).error.reason).toBe("BadSignature")
    const unknownRegistration = await send(world, delivery, { deliveryId: "s-nowhere", path: "/webhook/github/app_nope" })
    expect(unknownRegistration.status).toBe(404)
  })

  it("installation deleted revokes the installation; later events are ignored", async () => {
    world = await startWorld()
    const target = world.github.control.installation(world.githubInstallationId)
    await deliver(world, Payloads.installation(world.github.control.state, "deleted", target, "octocat"), "l-deleted")
    await ignoredWith(world, "l-deleted", /installation is revoked|uninstalled from GitHub/)
    expect((await installations(world.kernel, world.apiKey))[0]?.status).toBe("revoked")
    const item = issue("After uninstall", `@${world.app.slug} still there?`)
    await deliver(world, Payloads.issues(world.where("ada"), "opened", item), "l-after")
    await ignoredWith(world, "l-after", "installation is revoked")
  })

  it("installation suspended revokes it; github_app_authorization revoked leaves it active", async () => {
    world = await startWorld()
    const revoked = await send(world, Payloads.githubAppAuthorization(world.github.control.state, "ada"), { deliveryId: "l-authorization" })
    expect(revoked.status).toBe(200)
    expect((await installations(world.kernel, world.apiKey))[0]?.status).toBe("active")
    const target = world.github.control.installation(world.githubInstallationId)
    await deliver(world, Payloads.installation(world.github.control.state, "suspend", target, "octocat"), "l-suspend")
    await ignoredWith(world, "l-suspend", /installation is revoked|suspended on GitHub/)
    expect((await installations(world.kernel, world.apiKey))[0]?.status).toBe("revoked")
  })
})
