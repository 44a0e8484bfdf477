/**
 * What a Slack publication offers and how a trigger reaches it, on the kernel's routing
 * (`kernel/provider/Routing.ts`): the `channel` filter and the session key of each granularity.
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
import { Option } from "effect"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import type { Granularity } from "../../../kernel/domain/Publication.ts"
import type { FilterDefinition } from "../../../kernel/provider/Provider.ts"
import * as Routing from "../../../kernel/provider/Routing.ts"
import type { DecideContext } from "../../../kernel/provider/Events.ts"

export const CHANNEL_FILTER = "channel"
export const DM_FILTER_ENTRY = "dm"

export const granularities: ReadonlyArray<Granularity> = ["thread", "user", "workspace"]

export const filters: ReadonlyArray<FilterDefinition> = [
  {
    key: CHANNEL_FILTER,
    description: "Only these conversations: channel ids such as C0123ABCD; \"dm\" admits direct messages and " +
      "assistant threads. Default: every conversation the bot is in."
  }
]

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

const describePlace = (place: Place) => (place.channelType === "im" ? `direct message ${place.channel}` : `channel ${place.channel}`)

const channelFilter = (place: Place, eventName: string): Routing.FilterCheck => ({
  key: CHANNEL_FILTER,
  admits: (wanted) => wanted.includes(place.channel) || (place.channelType === "im" && wanted.includes(DM_FILTER_ENTRY)),
  outside: `${eventName} in ${describePlace(place)} is outside this publication's channel filter`
})

/** Removes the bot's own `<@U…>` from the text, so the prompt is what the person asked. */
export const promptOf = (text: string, botUserId: Option.Option<string>): string =>
  Option.match(botUserId, { onNone: () => text, onSome: (id) => text.replaceAll(`<@${id}>`, " ") })
    .replace(/\s+([,.!?;:])/g, "$1")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^[,.;:]\s*/, "")

/** What happened, as routing and the reasons name it. */
export interface Happening {
  readonly trigger: Trigger
  /** `app_mention`, `a direct message` ...: the subject of the ignore reasons. */
  readonly eventName: string
  /** The message's own text, for the agent's context. */
  readonly text: string
}

/** The session key and context of a trigger for this publication, or why it does not get it. */
export const route = (context: DecideContext, { eventName, text, trigger }: Happening, place: Place): Routing.Routed => {
  const { installation, publication } = context
  const routed = Routing.route({
    provider: "Slack",
    publication,
    subject: eventName,
    trigger,
    filters: [channelFilter(place, eventName)],
    sessionKeys: {
      thread: Option.match(place.threadTs, {
        onNone: () => `slack:dm:${place.channel}`,
        onSome: (threadTs) => `slack:thread:${place.channel}:${threadTs}`
      }),
      user: `slack:user:${place.user}`,
      workspace: `slack:workspace:${installation.externalAccountId}`
    },
    context: {
      teamId: installation.metadata["teamId"] ?? null,
      enterpriseId: installation.metadata["enterpriseId"] ?? null,
      channel: place.channel,
      channelType: place.channelType,
      threadTs: Option.getOrNull(place.threadTs),
      messageTs: Option.getOrNull(place.messageTs),
      user: place.user,
      text,
      botUserId: Option.getOrNull(botUserIdOf(installation))
    }
  })
  // A reply without a mention belongs to its thread's session; a wider session never asked for it.
  if (routed._tag === "Route" && trigger === "thread_reply" && publication.granularity !== "thread") {
    return Routing.skip(
      `a thread reply without a mention does not reach a session at "${publication.granularity}" granularity ` +
        "(only mentions, direct messages and assistant threads do)"
    )
  }
  return routed
}
