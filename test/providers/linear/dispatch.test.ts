/**
 * From a decoded Linear event to a decision per publication: created starts a session on the
 * issue, prompted continues it with the user's message, stop stops it, the app's own events and
 * other teams' issues are ignored, and anything unknown is ignored with a reason, never rejected.
 */
import { describe, expect, it } from "@effect/vitest"
import { Effect, Option } from "effect"
import { agentSessionCreated, agentSessionPrompted } from "../../../sandbox/fakes/linear/payloads.ts"
import { signLinearWebhook } from "../../../sandbox/fakes/linear/sign.ts"
import {
  APP_USER_ID,
  dispatched,
  HUMAN_USER_ID,
  ignored,
  installation,
  ORGANIZATION_ID,
  publication,
  rawWebhook,
  receiver,
  WEBHOOK_SECRET
} from "./fixtures.ts"

const handler = receiver()

const decode = (payload: Readonly<Record<string, unknown>>) =>
  Effect.flatMap(signLinearWebhook({ secret: WEBHOOK_SECRET, payload }), (delivery) =>
    handler.reread(rawWebhook(delivery)))

describe("AgentSessionEvent.created", () => {
  it.effect("starts a session keyed by the issue, with Linear's prompt context", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated({
        sessionId: "session-42",
        issue: { id: "issue-7", identifier: "ENG-7", title: "Broken login" },
        promptContext: "<issue>Broken login</issue>"
      }))
      const intent = dispatched(decoded.decide(installation(), publication()))
      expect(intent.mode).toBe("start")
      expect(intent.sessionKey).toBe("linear:issue:issue-7")
      expect(intent.prompt).toBe("<issue>Broken login</issue>")
      expect(intent.context).toMatchObject({
        agentSessionId: "session-42",
        issueId: "issue-7",
        issueIdentifier: "ENG-7",
        organizationId: ORGANIZATION_ID,
        teamKey: "ENG"
      })
      expect(intent.actor).toEqual({ id: HUMAN_USER_ID, name: "Ada Lovelace" })
    }))

  it.effect("falls back to the mentioning comment when there is no prompt context", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated({ promptContext: null, commentBody: "@agent fix it please" }))
      expect(dispatched(decoded.decide(installation(), publication())).prompt).toBe("@agent fix it please")
    }))

  it.effect("workspace granularity keys the session by organization", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated())
      const intent = dispatched(decoded.decide(installation(), publication({ granularity: "workspace" })))
      expect(intent.sessionKey).toBe(`linear:workspace:${ORGANIZATION_ID}`)
    }))

  it.effect("a granularity Linear does not offer is ignored with a reason", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated())
      expect(ignored(decoded.decide(installation(), publication({ granularity: "thread" })))).toContain("thread")
    }))

  it.effect("a session the app user opened itself is ignored", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated({ creatorId: APP_USER_ID }))
      expect(ignored(decoded.decide(installation(), publication()))).toContain("own")
    }))

  it.effect("an event for another app user is ignored", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated({ appUserId: "user-other-app" }))
      expect(ignored(decoded.decide(installation(), publication()))).toContain("another Linear app user")
    }))

  it.effect("a payload that names only the issue id still routes to the issue", () =>
    Effect.gen(function*() {
      const payload = agentSessionCreated()
      const decoded = yield* decode({ ...payload, agentSession: { ...payload.agentSession, issue: null, issueId: "issue-only-id" } })
      expect(dispatched(decoded.decide(installation(), publication())).sessionKey).toBe("linear:issue:issue-only-id")
      expect(ignored(decoded.decide(installation(), publication({ filters: { team: ["ENG"] } })))).toContain("an unknown team")
    }))

  it.effect("a session that is not on an issue is ignored", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated({ issue: null }))
      expect(ignored(decoded.decide(installation(), publication()))).toContain("not attached to an issue")
    }))
})

describe("AgentSessionEvent.prompted", () => {
  it.effect("continues the issue's session with the user's new message", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionPrompted({ body: "Also check logout", issue: { id: "issue-7" } }))
      expect(decoded.eventType).toBe("AgentSessionEvent.prompted")
      const intent = dispatched(decoded.decide(installation(), publication()))
      expect(intent.mode).toBe("continue")
      expect(intent.prompt).toBe("Also check logout")
      expect(intent.sessionKey).toBe("linear:issue:issue-7")
      expect(intent.actor?.id).toBe(HUMAN_USER_ID)
    }))

  it.effect("a message written by the app user itself is ignored", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionPrompted({ userId: APP_USER_ID }))
      expect(ignored(decoded.decide(installation(), publication()))).toContain("own")
    }))

  it.effect("the stop signal becomes a stop dispatch naming what to stop", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionPrompted({ signal: "stop", body: "Stop", sessionId: "session-9" }))
      const intent = dispatched(decoded.decide(installation(), publication()))
      expect(intent.mode).toBe("stop")
      expect(intent.prompt).toBe("Stop working on ENG-1 (Linear agent session session-9)")
      expect(intent.context).toMatchObject({ stopRequested: true, agentSessionId: "session-9" })
    }))

  it.effect("at workspace granularity a stop is told to the session, which carries other issues too", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionPrompted({ signal: "stop", body: "wrong issue, sorry" }))
      const intent = dispatched(decoded.decide(installation(), publication({ granularity: "workspace" })))
      expect(intent.mode).toBe("resumeOnly")
      expect(intent.prompt).toContain(": wrong issue, sorry")
    }))

  it.effect("a prompted event without its activity is accepted and ignored with the reason", () =>
    Effect.gen(function*() {
      const { agentActivity: _dropped, ...withoutActivity } = agentSessionPrompted()
      const decoded = yield* decode(withoutActivity)
      const reason = ignored(decoded.decide(installation(), publication()))
      expect(reason).toContain("AgentSessionEvent.prompted payload is not in the documented shape")
      expect(reason).toContain("agentActivity")
    }))
})

describe("team filter", () => {
  it.effect("matches team ids and keys (keys case-insensitively)", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated({ issue: { teamId: "team-eng", teamKey: "ENG" } }))
      for (const team of [["team-eng"], ["eng"], ["OPS", "ENG"]]) {
        expect(decoded.decide(installation(), publication({ filters: { team } }))._tag).toBe("Dispatch")
      }
    }))

  it.effect("an issue of another team is ignored with the reason", () =>
    Effect.gen(function*() {
      const decoded = yield* decode(agentSessionCreated({ issue: { identifier: "ENG-9", teamKey: "ENG" } }))
      const reason = ignored(decoded.decide(installation(), publication({ filters: { team: ["OPS", "team-ops"] } })))
      expect(reason).toContain("ENG-9")
      expect(reason).toContain("team filter")
    }))
})

describe("events this provider does not act on", () => {
  it.effect("an unknown event type decodes and is ignored with its name", () =>
    Effect.gen(function*() {
      const decoded = yield* decode({
        type: "Issue",
        action: "update",
        organizationId: ORGANIZATION_ID,
        data: { id: "issue-1", title: "Renamed", somethingNew: { nested: [1, 2, 3] } },
        updatedFrom: { title: "Old" }
      })
      expect(decoded.eventType).toBe("Issue.update")
      expect(ignored(decoded.decide(installation(), publication()))).toContain("Issue.update")
    }))

  it.effect("an AgentSessionEvent action added later is ignored, not rejected", () =>
    Effect.gen(function*() {
      const decoded = yield* decode({ ...agentSessionCreated(), action: "summarized" })
      expect(ignored(decoded.decide(installation(), publication()))).toContain("AgentSessionEvent.summarized")
    }))

  it.effect("unknown fields anywhere in a handled event are tolerated", () =>
    Effect.gen(function*() {
      const payload = agentSessionCreated()
      const decoded = yield* decode({
        ...payload,
        brandNewTopLevel: true,
        agentSession: { ...payload.agentSession, futureField: { a: 1 }, issue: { ...payload.agentSession.issue, x: [] } }
      })
      expect(decoded.decide(installation(), publication())._tag).toBe("Dispatch")
    }))

  it.effect("OAuthApp.revoked marks the installation revoked and dispatches nothing", () =>
    Effect.gen(function*() {
      const decoded = yield* decode({ type: "OAuthApp", action: "revoked", organizationId: ORGANIZATION_ID, oauthClientId: "c" })
      expect(decoded.lifecycle).toEqual(Option.some("revoked"))
      expect(ignored(decoded.decide(installation(), publication()))).toContain("revoked")
    }))
})
