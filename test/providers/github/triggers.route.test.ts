/**
 * Acceptance 1, the triggers: signed deliveries in GitHub's documented shapes (fields
 * Switchboard does not model left in) through `/webhook/github/<registration>`. The bot
 * @mentioned in an issue, a pull request, a comment, a review or a review comment; the bot
 * assigned; a review requested from it; the trigger label added: each starts the item's session
 * (`github:<owner>/<repo>#<number>`). A later comment on an item with a live session resumes it;
 * closing the item or unassigning the bot stops it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import * as Payloads from "../../../sandbox/fakes/github/payloads.ts"
import { deliver, deliveryOf, type GitHubWorld, startWorld } from "../../support/github.ts"

describe("GitHub triggers through /webhook/github/<registration>", () => {
  let world: GitHubWorld
  let mention: string

  beforeAll(async () => {
    world = await startWorld()
    mention = `@${world.app.slug}`
  })
  afterAll(async () => {
    await world.close()
  })

  const issue = (title: string, body = "") => world.github.control.seedIssue("acme/widgets", { title, body })
  const pull = (title: string, body = "") =>
    world.github.control.seedPullRequest("acme/widgets", { title, body, head: `feature/${title.replace(/\W+/g, "-")}`, files: { "src/app.ts": "export const answer = 42\n" } })

  it("an issue opened with an @mention starts the issue's session, with the issue as context", async () => {
    const item = issue("Login fails on Safari", `${mention} can you look at this?`)
    await deliver(world, Payloads.issues(world.where("ada"), "opened", item), "t-issue-opened")
    const delivery = await deliveryOf(world, "t-issue-opened")
    expect(delivery.dispatch).toMatchObject({
      mode: "create",
      sessionKey: `github:acme/widgets#${item.number}`,
      eventType: "issues.opened",
      actor: { name: "ada" },
      context: {
        trigger: "mention",
        repo: "acme/widgets",
        owner: "acme",
        name: "widgets",
        number: item.number,
        kind: "issue",
        title: "Login fails on Safari",
        url: `https://github.com/acme/widgets/issues/${item.number}`,
        installationId: String(world.githubInstallationId)
      }
    })
    expect(delivery.dispatch.prompt).toContain("ada mentioned you in issue acme/widgets#")
    expect(delivery.dispatch.prompt).toContain("can you look at this?")
  })

  it("a comment mentioning the bot starts a session, and a later plain comment resumes it", async () => {
    const item = issue("Flaky test")
    const first = world.github.control.addComment("acme/widgets", item.number, `Hey ${mention}[bot], please fix`, "grace")
    await deliver(world, Payloads.issueComment(world.where("grace"), "created", item, { body: first.body, id: first.id }), "t-comment-mention")
    const started = await deliveryOf(world, "t-comment-mention")
    expect(started.dispatch).toMatchObject({ mode: "create", context: { trigger: "mention", commentId: first.id } })

    await deliver(world, Payloads.issueComment(world.where("grace"), "created", item, { body: "Also the CI is red" }), "t-comment-followup")
    const resumed = await deliveryOf(world, "t-comment-followup")
    expect(resumed.dispatch).toMatchObject({
      mode: "resume",
      sessionId: started.dispatch.sessionId,
      sessionKey: started.dispatch.sessionKey,
      context: { trigger: "comment" }
    })
    expect(resumed.dispatch.prompt).toContain("grace commented on issue acme/widgets#")
    expect(resumed.dispatch.prompt).toContain("Also the CI is red")
  })

  it("the bot assigned starts the session; unassigned stops it", async () => {
    const item = issue("Upgrade the parser", "The old one is slow")
    await deliver(world, Payloads.issues(world.where("ada"), "assigned", item, { assignee: `${world.app.slug}[bot]` }), "t-assigned")
    const started = await deliveryOf(world, "t-assigned")
    expect(started.dispatch).toMatchObject({ mode: "create", stop: false, context: { trigger: "assignment" } })
    expect(started.dispatch.prompt).toContain("ada assigned you issue acme/widgets#")
    expect(started.dispatch.prompt).toContain("The old one is slow")

    await deliver(world, Payloads.issues(world.where("ada"), "unassigned", item, { assignee: `${world.app.slug}[bot]` }), "t-unassigned")
    const stopped = await deliveryOf(world, "t-unassigned")
    expect(stopped.dispatch).toMatchObject({ mode: "resume", stop: true, sessionId: started.dispatch.sessionId })
  })

  it("the trigger label added starts the session; closing the issue stops it", async () => {
    const item = issue("Document the API")
    await deliver(world, Payloads.issues(world.where("ada"), "labeled", item, { label: "Agent" }), "t-labeled")
    const started = await deliveryOf(world, "t-labeled")
    expect(started.dispatch).toMatchObject({ mode: "create", context: { trigger: "label", label: "Agent" } })

    await deliver(world, Payloads.issues(world.where("ada"), "closed", item), "t-closed")
    expect((await deliveryOf(world, "t-closed")).dispatch).toMatchObject({ stop: true, sessionId: started.dispatch.sessionId })
  })

  it("a pull request opened with a mention, assigned to the bot or labelled starts a pull request session", async () => {
    const opened = await pull("Speed up boot", `${mention} please review the approach`)
    await deliver(world, Payloads.pullRequest(world.where("ada"), "opened", opened), "t-pr-opened")
    expect((await deliveryOf(world, "t-pr-opened")).dispatch).toMatchObject({
      mode: "create",
      sessionKey: `github:acme/widgets#${opened.number}`,
      context: { trigger: "mention", kind: "pull_request", url: `https://github.com/acme/widgets/pull/${opened.number}` }
    })
    const assigned = await pull("Fix the typo")
    await deliver(world, Payloads.pullRequest(world.where("ada"), "assigned", assigned, { assignee: `${world.app.slug}[bot]` }), "t-pr-assigned")
    expect((await deliveryOf(world, "t-pr-assigned")).dispatch.context).toMatchObject({ trigger: "assignment", kind: "pull_request" })
    const labelled = await pull("Bump deps")
    await deliver(world, Payloads.pullRequest(world.where("ada"), "labeled", labelled, { label: "agent" }), "t-pr-labeled")
    expect((await deliveryOf(world, "t-pr-labeled")).dispatch.context).toMatchObject({ trigger: "label" })
  })

  it("a review requested from the bot starts a review session", async () => {
    const item = await pull("Refactor the router", "Splits routes by area")
    await deliver(world, Payloads.pullRequest(world.where("ada"), "review_requested", item, { requestedReviewer: `${world.app.slug}[bot]` }), "t-review-requested")
    const delivery = await deliveryOf(world, "t-review-requested")
    expect(delivery.dispatch).toMatchObject({ mode: "create", context: { trigger: "review_request", kind: "pull_request" } })
    expect(delivery.dispatch.prompt).toContain("ada requested your review of pull request acme/widgets#")
  })

  it("a review or a review comment mentioning the bot starts a session; a plain review resumes it", async () => {
    const item = await pull("Cache the config")
    await deliver(world, Payloads.pullRequestReview(world.where("grace"), "submitted", item, { body: `${mention} what do you think?`, state: "commented" }), "t-review-mention")
    const started = await deliveryOf(world, "t-review-mention")
    expect(started.dispatch).toMatchObject({ mode: "create", context: { trigger: "mention", reviewState: "commented" } })

    await deliver(world, Payloads.pullRequestReview(world.where("grace"), "submitted", item, { body: null, state: "approved" }), "t-review-plain")
    const resumed = await deliveryOf(world, "t-review-plain")
    expect(resumed.dispatch).toMatchObject({ mode: "resume", sessionId: started.dispatch.sessionId })
    expect(resumed.dispatch.prompt).toContain("grace approved pull request acme/widgets#")

    const other = await pull("Drop the shim")
    await deliver(world, Payloads.pullRequestReviewComment(world.where("grace"), "created", other, {
      body: `${mention} is this line still needed?`,
      path: "src/app.ts",
      line: 1
    }), "t-review-comment")
    expect((await deliveryOf(world, "t-review-comment")).dispatch).toMatchObject({
      mode: "create",
      sessionKey: `github:acme/widgets#${other.number}`,
      context: { trigger: "mention", path: "src/app.ts", line: 1 }
    })
  })

  it("a publication's label filter replaces the deployment's trigger label", async () => {
    const { id } = await world.kernel.publish(world.apiKey, {
      installationId: world.installationId,
      agentId: "agent-ready",
      scopes: ["issues:read"],
      granularity: "issue",
      filters: { label: ["ready-for-agent"] }
    })
    const item = issue("Needs triage")
    await deliver(world, Payloads.issues(world.where("ada"), "labeled", item, { label: "ready-for-agent" }), "t-custom-label")
    const delivery = await world.kernel.eventually(() =>
      world.kernel.deliveries.find((entry) => entry.dispatch.deliveryId === "t-custom-label" && entry.dispatch.publicationId === id)
    )
    expect(delivery.dispatch.context).toMatchObject({ trigger: "label", label: "ready-for-agent" })
    // The publication without a label filter keeps GITHUB_TRIGGER_LABEL ("agent") and ignores it.
    expect(world.kernel.deliveries.filter((entry) => entry.dispatch.deliveryId === "t-custom-label")).toHaveLength(1)
  })

  it("workspace granularity keys every item's work to one session per installation", async () => {
    const { id } = await world.kernel.publish(world.apiKey, {
      installationId: world.installationId,
      agentId: "agent-workspace",
      scopes: ["issues:read"],
      granularity: "workspace"
    })
    const item = issue("One session for all", `${mention} hello`)
    await deliver(world, Payloads.issues(world.where("ada"), "opened", item), "t-workspace")
    const delivery = await world.kernel.eventually(() =>
      world.kernel.deliveries.find((entry) => entry.dispatch.deliveryId === "t-workspace" && entry.dispatch.publicationId === id)
    )
    expect(delivery.dispatch.sessionKey).toBe(`github:installation:${world.githubInstallationId}`)
  })
})
