import { afterAll, beforeAll, describe, expect, it } from "vitest"
import { deliver, deliveryOf, startSlackWorld, type SlackWorld } from "../../support/slack.ts"

describe("smoke", () => {
  let world: SlackWorld
  beforeAll(async () => {
    world = await startSlackWorld()
  })
  afterAll(() => world.close())
  it("mention", async () => {
    const { control } = world.slack
    const ada = control.seedUser({ name: "ada" })
    const general = control.seedChannel({ name: "general", members: [ada.id] })
    const said = control.say({ channel: general.id, user: ada.id, text: `<@${control.app.botUserId}> hello` })
    const ids = await deliver(world, said.events)
    const delivery = await deliveryOf(world, ids[1]!)
    expect(delivery.dispatch.sessionKey).toBe(`slack:thread:${general.id}:${said.message.ts}`)
  })
})
