/**
 * What every GitHub trigger goes through before it can dispatch to a publication: the
 * publication must listen to the trigger, the repository must pass the `repo` filter, and the
 * granularity must give a session key. Issue granularity keys a session by item,
 * `github:<owner>/<repo>#<number>` (lowercased: GitHub names are case-insensitive), so a
 * mention, an assignment and later comments on one issue or pull request share one session;
 * workspace granularity keys it by installation, `github:installation:<id>`.
 */
import { Option, type Schema } from "effect"
import { SessionKey } from "../../kernel/domain/Ids.ts"
import type { Installation } from "../../kernel/domain/Installation.ts"
import type { Publication } from "../../kernel/domain/Publication.ts"
import type { DispatchDecision } from "../../kernel/provider/Webhook.ts"
import { ignore } from "../../kernel/provider/Webhook.ts"
import type { Repository, User } from "./GitHubPayloads.ts"

export const REPO_FILTER = "repo"
export const TRIGGER_FILTER = "trigger"
export const LABEL_FILTER = "label"

/**
 * `mention`: the bot @mentioned in an issue, pull request, comment or review. `assignment`: the
 * bot assigned. `review_request`: a review requested from the bot. `label`: the trigger label
 * added. `comment`: a later comment or review on an item with a live session resumes it.
 */
export const TRIGGERS = ["mention", "assignment", "review_request", "label", "comment"] as const
export type Trigger = typeof TRIGGERS[number]

/** An issue or a pull request, as the payloads of all five item events name it. */
export interface Item {
  readonly repository: Repository
  readonly number: number
  readonly kind: "issue" | "pull_request"
  readonly title: string
  readonly body: string
  readonly url: string
}

export const itemName = (item: Item): string => `${item.repository.full_name}#${item.number}`

export const itemNoun = (item: Item): string => item.kind === "issue" ? "issue" : "pull request"

/** The bot's identity from the installation: its login (`<slug>[bot]`) and @handle (`<slug>`). */
export interface Bot {
  readonly login: string
  readonly slug: string
  readonly appId: Option.Option<string>
}

export const botOf = (installation: Installation): Option.Option<Bot> => {
  const slug = installation.metadata["appSlug"]
  if (slug === undefined || slug.length === 0) return Option.none()
  return Option.some({
    slug,
    login: installation.metadata["botLogin"] ?? `${slug}[bot]`,
    appId: Option.fromNullishOr(installation.metadata["appId"])
  })
}

export const isBot = (bot: Bot, user: User | null | undefined): boolean =>
  user !== undefined && user !== null && user.login.toLowerCase() === bot.login.toLowerCase()

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** `@slug` or `@slug[bot]` as a whole handle (not inside an email or a longer handle). */
export const mentions = (bot: Bot, text: string | null | undefined): boolean =>
  text !== undefined && text !== null &&
  new RegExp(`(^|[^\\w@/.-])@${escapeRegExp(bot.slug)}(\\[bot\\])?(?![\\w-])`, "i").test(text)

export const actorOf = (user: User | null | undefined) =>
  user === undefined || user === null ? null : { id: String(user.id), name: user.login }

/** A stop (item closed, bot unassigned) is not a trigger: it ends whatever session is live. */
export type RouteReason = Trigger | "stop"

export const listensTo = (publication: Publication, trigger: RouteReason): boolean => {
  const chosen = publication.filters[TRIGGER_FILTER] ?? []
  return trigger === "stop" || chosen.length === 0 || chosen.includes(trigger)
}

/** The publication's trigger labels, else the deployment's. */
export const triggerLabelsOf = (publication: Publication, fallback: string): ReadonlyArray<string> => {
  const chosen = publication.filters[LABEL_FILTER] ?? []
  return chosen.length === 0 ? [fallback] : chosen
}

const sessionKeyFor = (publication: Publication, installation: Installation, item: Item): Option.Option<SessionKey> => {
  switch (publication.granularity) {
    case "workspace":
      return Option.some(SessionKey.make(`github:installation:${installation.externalAccountId}`))
    case "issue":
      return Option.some(SessionKey.make(`github:${itemName(item).toLowerCase()}`))
    case "thread":
    case "user":
      return Option.none()
  }
}

export type Routed =
  | { readonly _tag: "Route"; readonly sessionKey: SessionKey; readonly context: Record<string, Schema.Json> }
  | { readonly _tag: "Skip"; readonly decision: DispatchDecision }

const skip = (reason: string): Routed => ({ _tag: "Skip", decision: ignore(reason) })

/** The session key and the item's context for this publication, or why it does not get the event. */
export const route = (options: {
  readonly publication: Publication
  readonly installation: Installation
  readonly trigger: RouteReason
  readonly eventName: string
  readonly item: Item
}): Routed => {
  const { eventName, installation, item, publication, trigger } = options
  if (!listensTo(publication, trigger)) {
    return skip(`${eventName} on ${itemName(item)} is a "${trigger}" trigger, which this publication's trigger filter leaves out`)
  }
  const repos = (publication.filters[REPO_FILTER] ?? []).map((repo) => repo.toLowerCase())
  if (repos.length > 0 && !repos.includes(item.repository.full_name.toLowerCase())) {
    return skip(`${itemName(item)} is outside this publication's repo filter`)
  }
  const sessionKey = sessionKeyFor(publication, installation, item)
  if (Option.isNone(sessionKey)) return skip(`GitHub does not support "${publication.granularity}" granularity`)
  return {
    _tag: "Route",
    sessionKey: sessionKey.value,
    context: {
      trigger,
      repo: item.repository.full_name,
      owner: item.repository.owner.login,
      name: item.repository.name,
      number: item.number,
      kind: item.kind,
      title: item.title,
      url: item.url,
      installationId: installation.externalAccountId
    }
  }
}
