/**
 * Acceptance 2 (in-process): Slack wants an answer within 3 seconds or it retries. With a
 * session sink that takes 10 seconds per delivery, `/webhook/slack` still acknowledges each
 * event well inside 3 seconds (the kernel stores, then answers, and dispatches in the
 * background), and the dispatches still arrive, once each. The per-runtime half (Workers'
 * `waitUntil`, Bun, Deno, Node) belongs to the runtime matrix.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { eventIdOf, sendEvent, type SlackWorld, sleep, startSlackWorld } from "../../support/slack.ts"

const SINK_MS = 10_000
const SLACK_DEADLINE_MS = 3_000

describe("Slack's 3-second acknowledgement with a 10-second session sink", () => {
  let world: SlackWorld
  beforeAll(async () => {
    world = await startSlackWorld()
    world.kernel.sink = async () => {
      await sleep(SINK_MS)
    }
  })
  afterAll(() => world.close())

  it("acknowledges a mention and a DM in under 3 s each; both dispatches still arrive", async () => {
    const { control } = world.slack
    const ada = control.seedUser({ name: "ada" })
    const general = control.seedChannel({ name: "general", members: [ada.id] })
    const mention = control.say({ channel: general.id, user: ada.id, text: `<@${control.app.botUserId}> slow agent` }).events[1]!
    const dm = control.say({ channel: control.openDm(ada.id).id, user: ada.id, text: "are you there?" }).events[0]!

    const timings: Array<number> = []
    for (const event of [mention, dm]) {
      const started = performance.now()
      const response = await sendEvent(world, event)
      timings.push(performance.now() - started)
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ ok: true, status: "accepted" })
    }
    for (const elapsed of timings) expect(elapsed).toBeLessThan(SLACK_DEADLINE_MS)

    const arrived = (event: Readonly<Record<string, unknown>>) =>
      world.kernel.eventually(
        () => world.kernel.deliveries.find((delivery) => delivery.dispatch.deliveryId === eventIdOf(event)),
        SINK_MS * 3
      )
    const [first, second] = await Promise.all([arrived(mention), arrived(dm)])
    expect(first.dispatch).toMatchObject({ mode: "create", eventType: "app_mention" })
    expect(second.dispatch).toMatchObject({ mode: "create", eventType: "message.im" })
    expect(world.kernel.deliveries.filter((delivery) => delivery.dispatch.deliveryId === eventIdOf(mention))).toHaveLength(1)
  })
})
