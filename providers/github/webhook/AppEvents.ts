/**
 * Events about the app itself rather than an item. `installation` created, deleted, suspend and
 * unsuspend change the installation's lifecycle (the kernel applies it before the
 * acknowledgement); each is then recorded as ignored saying what happened. A user revoking their
 * authorization of the app (`github_app_authorization`) leaves the installation alone.
 */
import type { InstallationLifecycle } from "../../../kernel/provider/Webhook.ts"
import { type DispatchDecision, ignore } from "../../../kernel/provider/Webhook.ts"
import type { InstallationEvent } from "./Payloads.ts"

const lifecycles: ReadonlyMap<string, InstallationLifecycle> = new Map([
  ["installation.created", "installed"],
  ["installation.deleted", "revoked"],
  ["installation.suspend", "suspended"],
  ["installation.unsuspend", "unsuspended"]
])

export const lifecycleOf = (eventType: string): InstallationLifecycle | undefined => lifecycles.get(eventType)

const installationReason = (action: string, id: string): string => {
  switch (action) {
    case "deleted":
      return `installation.deleted: the app was uninstalled from GitHub (installation ${id}); the installation is revoked`
    case "suspend":
      return `installation.suspend: the installation ${id} was suspended on GitHub; it is revoked until reinstalled`
    case "unsuspend":
      return `installation.unsuspend: installation ${id} is no longer suspended; open the install link to reconnect it`
    case "created":
      return `installation.created: installation ${id} is connected through the install link, not by this event`
    default:
      return `installation.${action} needs nothing from Switchboard`
  }
}

export const decideInstallation = (event: InstallationEvent): DispatchDecision =>
  ignore(installationReason(event.action, String(event.installation.id)))

export const decideAuthorization = (event: { readonly action: string }): DispatchDecision =>
  ignore(
    `github_app_authorization.${event.action}: a user revoked their authorization of the app; Switchboard keeps no ` +
      "user tokens, so the installation is unaffected"
  )
