/**
 * What every Slack trigger goes through before it can dispatch to a publication: the `channel`
 * filter and the session key of the publication's granularity.
 *
 * Granularities:
 * - `thread`: one session per Slack thread (`slack:thread:<channel>:<thread ts>`); a direct
 *   message outside a thread shares the DM's session (`slack:dm:<channel>`);
 * - `user`: one session per person (`slack:user:<user id>`), for their mentions, direct messages
 *   and assistant threads;
 * - `workspace`: one session for the whole installation (`slack:workspace:<team or enterprise>`).
 *
 * The `channel` filter lists channel ids (C…, G…); `dm` admits direct messages and assistant
 * threads, whose channel ids (D…) nobody knows in advance. An empty filter admits everything.
 */
import { Option, type Schema } from "effect"
import { SessionKey } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Granularity, Publication } from "../../kernel/domain/Publication.ts"
import { type DispatchDecision, dispatchTo, ignore } from "../../kernel/provider/Webhook.ts"

export const CHANNEL_FILTER = "channel"
export const DM_FILTER_ENTRY = "dm"

export type Trigger = "mention" | "direct_message" | "thread_reply" | "assistant_thread"

/** Where a trigger happened, in the terms routing and the agent need. */
export interface Place {
  readonly channel: string
  readonly channelType: "channel" | "group" | "mpim" | "im"
  /** The thread the agent should answer in; none for a direct message outside a thread. */
  readonly threadTs: Option.Option<string>
  readonly messageTs: Option.Option<string>
  readonly user: string
}

export const botUserIdOf = (installation: Installation): Option.Option<string> =>
  Option.fromNullishOr(installation.metadata["botUserId"]).pipe(Option.filter((id) => id.length > 0))

/** Slack's channel id prefixes: D for direct messages, C public, G private or group DMs. */
export const channelTypeOf = (channel: string, declared: string | null | undefined): Place["channelType"] => {
  if (declared === "channel" || declared === "group" || declared === "mpim" || declared === "im") return declared
  if (declared === "app_home" || channel.startsWith("D")) return "im"
  return channel.startsWith("G") ? "group" : "channel"
}

const admitted = (publication: Publication, place: Place): boolean => {
  const wanted = publication.filters[CHANNEL_FILTER] ?? []
  if (wanted.length === 0) return true
  return wanted.includes(place.channel) || (place.channelType === "im" && wanted.includes(DM_FILTER_ENTRY))
}

const describePlace = (place: Place) => (place.channelType === "im" ? `direct message ${place.channel}` : `channel ${place.channel}`)

const sessionKeyFor = (granularity: Granularity, installation: Installation, place: Place): Option.Option<SessionKey> => {
  switch (granularity) {
    case "thread":
      return Option.some(SessionKey.make(Option.match(place.threadTs, {
        onNone: () => `slack:dm:${place.channel}`,
        onSome: (threadTs) => `slack:thread:${place.channel}:${threadTs}`
      })))
    case "user":
      return Option.some(SessionKey.make(`slack:user:${place.user}`))
    case "workspace":
      return Option.some(SessionKey.make(`slack:workspace:${installation.externalAccountId}`))
    case "issue":
      return Option.none()
  }
}

/** Removes the bot's own `<@U…>` from the text, so the prompt is what the person asked. */
export const promptOf = (text: string, botUserId: Option.Option<string>): string =>
  Option.match(botUserId, { onNone: () => text, onSome: (id) => text.replaceAll(`<@${id}>`, " ") })
    .replace(/\s+([,.!?;:])/g, "$1")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[,.;:]\s*/, "")

export interface Routing {
  readonly installation: Installation
  readonly publication: Publication
  readonly trigger: Trigger
  readonly eventName: string
  readonly place: Place
  readonly prompt: string
  readonly mode: "start" | "resumeOnly"
  readonly text: string
}

/** The dispatch for this publication, or why it does not get the trigger. */
export const route = (routing: Routing): DispatchDecision => {
  const { installation, place, publication } = routing
  if (!admitted(publication, place)) {
    return ignore(`${routing.eventName} in ${describePlace(place)} is outside this publication's channel filter`)
  }
  if (routing.trigger === "thread_reply" && publication.granularity !== "thread") {
    return ignore(
      `a thread reply without a mention does not reach a session at "${publication.granularity}" granularity ` +
        "(only mentions, direct messages and assistant threads do)"
    )
  }
  const sessionKey = sessionKeyFor(publication.granularity, installation, place)
  if (Option.isNone(sessionKey)) return ignore(`Slack does not support "${publication.granularity}" granularity`)
  const context: Record<string, Schema.Json> = {
    trigger: routing.trigger,
    teamId: installation.metadata["teamId"] ?? null,
    enterpriseId: installation.metadata["enterpriseId"] ?? null,
    channel: place.channel,
    channelType: place.channelType,
    threadTs: Option.getOrNull(place.threadTs),
    messageTs: Option.getOrNull(place.messageTs),
    user: place.user,
    text: routing.text,
    botUserId: Option.getOrNull(botUserIdOf(installation))
  }
  return dispatchTo({
    sessionKey: sessionKey.value,
    prompt: routing.prompt,
    mode: routing.mode,
    context,
    actor: { id: place.user, name: null }
  })
}
