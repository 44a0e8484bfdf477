/**
 * What the Console shows of a Slack thread in the sandbox reads as a person would see it in
 * Slack: mentions by name, channels and links by their labels, no `<@U…>` markup.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { slackSandbox } from "../../../sandbox/dev/SlackSandbox.ts"
import { readableSlackText } from "../../../sandbox/dev/SlackText.ts"
import { type Served, serve } from "../../support/serve.ts"

describe("Slack markup as a person reads it", () => {
  it("renders mentions, channels, broadcasts, links and escapes", () => {
    const names = new Map([["U0ADA", "Ada Lovelace"]])
    expect(readableSlackText("<@U0ADA> done: <https://example.com/doc|the doc> &amp; <#C01|general> <!here> 1 &lt; 2", names))
      .toBe("@Ada Lovelace done: the doc & #general @here 1 < 2")
    expect(readableSlackText("<@U0NEW> and <@U0X|xavier> see <https://example.com> <#C02>", names))
      .toBe("@U0NEW and @xavier see https://example.com #C02")
  })
})

describe("the Slack sandbox's activity", () => {
  let server: Served
  beforeAll(async () => {
    const secrets = slackSandbox.generateSecrets()
    server = await serve(slackSandbox.makeFake({ publicUrl: "http://127.0.0.1:1", env: secrets }).handler)
  })
  afterAll(() => server.close())

  it("shows a mention of the app by the app's name", async () => {
    const mention = slackSandbox.events.find((event) => event.name === "mention")!
    const simulated = await mention.build({ env: slackSandbox.generateSecrets(), fakeUrl: server.url })
    const activity = await slackSandbox.activity(server.url, simulated.subject?.id ?? "")
    expect(activity.length).toBeGreaterThan(0)
    const state = await (await fetch(`${server.url}/_fake/state`)).json()
    expect(activity[0]!.body).toContain(`@${state.app.name}`)
    expect(activity.map((entry) => entry.body).join("\n")).not.toMatch(/<[@#!]/)
  })
})
