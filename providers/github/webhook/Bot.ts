/**
 * The app's bot as the webhooks name it: its login (`<slug>[bot]`), its @handle (`<slug>`) and
 * its App id, recorded on the installation when it was made. The bot's own events are set aside
 * before anything is decided, so the agent never answers itself.
 */
import { Option } from "effect"
import type { Installation } from "../../../kernel/domain/Installation.ts"
import type { DecideContext } from "../../../kernel/provider/Events.ts"
import { isSelf } from "../../../kernel/provider/Routing.ts"
import { type DispatchDecision, ignore } from "../../../kernel/provider/Webhook.ts"
import type { User } from "./Payloads.ts"

export interface Bot {
  readonly login: string
  readonly slug: string
  readonly appId: Option.Option<string>
}

export const NO_BOT = "the installation does not record its GitHub App; reinstall it"

export const botOf = (installation: Installation): Option.Option<Bot> => {
  const slug = installation.metadata["appSlug"]
  if (slug === undefined || slug.length === 0) return Option.none()
  return Option.some({
    slug,
    login: installation.metadata["botLogin"] ?? `${slug}[bot]`,
    appId: Option.fromNullishOr(installation.metadata["appId"])
  })
}

export const isBot = (bot: Bot, user: User | null | undefined): boolean => isSelf(user?.login, [bot.login])

/** A comment the app itself posted through the API (`performed_via_github_app`). */
export const postedByApp = (bot: Bot, via: { readonly id: number } | null | undefined): boolean =>
  via !== undefined && via !== null && Option.contains(bot.appId, String(via.id))

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")

/** `@slug` or `@slug[bot]` as a whole handle (not inside an email or a longer handle). */
export const mentions = (bot: Bot, text: string | null | undefined): boolean =>
  text !== undefined && text !== null &&
  new RegExp(`(^|[^\\w@/.-])@${escapeRegExp(bot.slug)}(\\[bot\\])?(?![\\w-])`, "i").test(text)

export const actorOf = (user: User | null | undefined) =>
  user === undefined || user === null ? null : { id: String(user.id), name: user.login }

/** A decide function for an event some person sent: needs the bot's identity, skips the bot's own events. */
export const bySomeoneElse = <A extends { readonly sender?: User | null | undefined }>(
  decide: (event: A, bot: Bot, context: DecideContext) => DispatchDecision
) =>
(event: A, context: DecideContext): DispatchDecision =>
  Option.match(botOf(context.installation), {
    onNone: () => ignore(NO_BOT),
    onSome: (bot) =>
      isBot(bot, event.sender)
        ? ignore(`the event was caused by this app's own bot (${bot.login})`)
        : decide(event, bot, context)
  })
