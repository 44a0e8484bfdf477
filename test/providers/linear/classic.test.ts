/**
 * The classic path, decided per publication from decoded Issue and Comment webhooks: how an
 * assignment, an unassignment and each form of mention map, the trigger filter, and the reasons
 * given for everything ignored. (The same events through the real route: events.route.test.ts.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { commentEvent, issueAssigned, issueEvent } from "../../../sandbox/fakes/linear/payloads.ts"
import { signLinearWebhook } from "../../../sandbox/fakes/linear/sign.ts"
import { APP_USER_ID, dispatched, ignored, installation, publication, rawWebhook, receiver, WEBHOOK_SECRET } from "./fixtures.ts"

const handler = receiver()

const decode = (payload: Readonly<Record<string, unknown>>) =>
  Effect.flatMap(signLinearWebhook({ secret: WEBHOOK_SECRET, payload }), (delivery) => handler.reread(rawWebhook(delivery)))

const app = () => installation({ appUserId: APP_USER_ID, appUserName: "Switchboard Agent", appUserDisplayName: "switchboard" })

describe("Issue webhooks", () => {
  it.effect("an assignment starts the issue's session; only agent sessions carry an acknowledgement", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(issueAssigned({ issue: { id: "issue-9", identifier: "ENG-9", title: "Flaky" } }))
      expect(decoded.eventType).toBe("Issue.update")
      expect(decoded.acknowledge).toBeUndefined()
      const intent = dispatched(decoded.decide(app(), publication()))
      expect(intent).toMatchObject({ mode: "start", sessionKey: "linear:issue:issue-9", actor: { name: "Ada Lovelace" } })
      expect(intent.prompt).toContain("Ada Lovelace assigned you the Linear issue ENG-9: Flaky")
    }))

  it.effect("reassigning from someone else counts; from the app user to someone else stops", () =>
    Effect.gen(function*() {
      const moved = yield* decode(issueAssigned({ previousAssigneeId: "someone" }))
      expect(dispatched(moved.decide(app(), publication())).mode).toBe("start")
      const away = yield* decode(issueEvent({ assigneeId: "someone", previousAssigneeId: APP_USER_ID }))
      expect(dispatched(away.decide(app(), publication())).mode).toBe("stop")
    }))

  it.effect("at workspace granularity an unassignment tells the session instead of stopping it", () =>
    Effect.gen(function*() {
      const away = yield* decode(issueEvent({ assigneeId: null, previousAssigneeId: APP_USER_ID }))
      const intent = dispatched(away.decide(app(), publication({ granularity: "workspace" })))
      expect(intent).toMatchObject({ mode: "resumeOnly", context: { stopRequested: true, issueId: "issue-0000-0000-0000-000000000001" } })
      expect(intent.prompt).toContain("unassigned you from ENG-1")
    }))

  it.effect("an issue created for someone else, or unassigned, is ignored with the reason", () =>
    Effect.gen(function*() {
      const forOther = yield* decode(issueEvent({ action: "create", assigneeId: "someone" }))
      expect(ignored(forOther.decide(app(), publication()))).toContain("does not assign it to or take it from this app user")
      const unassigned = yield* decode(issueEvent({ action: "create" }))
      expect(ignored(unassigned.decide(app(), publication()))).toContain("Issue.create on ENG-1")
    }))

  it.effect("without a recorded app user the classic path cannot tell, and says so", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(issueAssigned())
      expect(ignored(decoded.decide(installation({}), publication()))).toContain("reinstall")
    }))

  it.effect("Issue.remove is recorded as not handled", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(issueEvent({ action: "remove" }))
      expect(ignored(decoded.decide(app(), publication()))).toContain("\"Issue.remove\" is not handled")
    }))
})

describe("Comment webhooks", () => {
  const mentionBodies = [
    "@switchboard please look",
    "Hey @Switchboard, can you check?",
    "[@switchboard](https://linear.app/fake-workspace/profiles/switchboard) ping",
    "(@switchboard)"
  ]

  it.effect("each way Linear writes a mention starts the issue's session with the comment", () =>
    Effect.gen(function*() {
      for (const body of mentionBodies) {
        const decoded = yield* decode(commentEvent({ body }))
        const intent = dispatched(decoded.decide(app(), publication()))
        expect(intent).toMatchObject({ mode: "start", prompt: body })
        expect(intent.context).toMatchObject({ trigger: "mention", commentId: "comment-0000-0000-0000-000000000003" })
      }
      // A mention picked from Linear's editor reaches the webhook's Markdown body as a bare profile
      // link (Comment webhooks carry no rich-text document).
      const picked = yield* decode(commentEvent({ body: "https://linear.app/fake-workspace/profiles/switchboard please look" }))
      expect(dispatched(picked.decide(app(), publication())).mode).toBe("start")
    }))

  it.effect("near misses are not mentions", () =>
    Effect.gen(function*() {
      for (const body of ["@switchboarder hi", "mail ops@switchboard.dev", "switchboard, hi", "@switch-board"]) {
        const decoded = yield* decode(commentEvent({ body }))
        expect(ignored(decoded.decide(app(), publication()))).toContain("does not mention this app user (@switchboard)")
      }
    }))

  it.effect("with the opt-in comment trigger, any comment resumes a live issue session only", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(commentEvent({ body: "Any update?" }))
      const listening = publication({ filters: { trigger: ["agent_session", "mention", "comment"] } })
      expect(dispatched(decoded.decide(app(), listening))).toMatchObject({ mode: "resumeOnly", prompt: "Any update?" })
      const workspace = publication({ granularity: "workspace", filters: { trigger: ["comment"] } })
      expect(ignored(decoded.decide(app(), workspace))).toContain("does not mention")
    }))

  it.effect("the trigger filter leaves out what a publication did not ask for", () =>
    Effect.gen(function*() {
      const sessionsOnly = publication({ filters: { trigger: ["agent_session"] } })
      const mention = yield* decode(commentEvent())
      expect(ignored(mention.decide(app(), sessionsOnly))).toContain("\"mention\" trigger")
      const assignment = yield* decode(issueAssigned())
      expect(ignored(assignment.decide(app(), sessionsOnly))).toContain("\"assignment\" trigger")
    }))

  it.effect("the team filter applies to comments and assignments too", () =>
    Effect.gen(function*() {
      const ops = publication({ filters: { team: ["OPS"] } })
      const mention = yield* decode(commentEvent())
      expect(ignored(mention.decide(app(), ops))).toContain("outside this publication's team filter")
      const assignment = yield* decode(issueAssigned())
      expect(ignored(assignment.decide(app(), ops))).toContain("outside this publication's team filter")
    }))

  it.effect("the app's own comments and comments off issues are ignored with the reason", () =>
    Effect.gen(function*() {
      const own = yield* decode(commentEvent({ userId: APP_USER_ID }))
      expect(ignored(own.decide(app(), publication()))).toContain("own Linear user")
      const payload = commentEvent()
      const offIssue = yield* decode({ ...payload, data: { ...payload.data, issueId: null, issue: null } })
      expect(ignored(offIssue.decide(app(), publication()))).toContain("is not on an issue")
    }))
})
