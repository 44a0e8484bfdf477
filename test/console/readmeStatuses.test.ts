/**
 * The README names a delivery's and a dispatch's states with the words the Console's badges
 * show (the API's statuses): "the delivery turns *X* and its dispatch *Y*".
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { WebhookEventStatus } from "../../kernel/domain/WebhookEvent.ts"
import type { OutboxStatus } from "../../kernel/store/OutboxStore.ts"

const dispatchStatuses: ReadonlyArray<OutboxStatus> = ["pending", "delivered", "dead"]
const readme = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8").replace(/\s+/g, " ")

describe("the README's status words", () => {
  it("are the Console's", () => {
    const deliveries = [...readme.matchAll(/the delivery turns \*(\w+)\*/g)].map((match) => match[1])
    const dispatches = [...readme.matchAll(/its dispatch \*(\w+)\*/g)].map((match) => match[1])
    expect(deliveries.length).toBeGreaterThan(0)
    for (const word of deliveries) expect(WebhookEventStatus.literals).toContain(word)
    for (const word of dispatches) expect(dispatchStatuses).toContain(word)
  })
})
