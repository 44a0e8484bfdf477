/**
 * Which of a vendor account's installations a delivery belongs to: the deployment's app speaks
 * for the installations made with it; a tenant's own app (`AppContext`, the webhook came to
 * `/webhook/<id>/<registration>`) only for that tenant's installations of that app.
 */
import { Option } from "effect"
import type { Installation } from "../domain/Installation.ts"
import type { AppContext } from "../provider/Registration.ts"

export const ownersFor = (accountOwners: ReadonlyArray<Installation>, app: Option.Option<AppContext>): ReadonlyArray<Installation> =>
  Option.match(app, {
    onNone: () => accountOwners.filter((installation) => installation.registrationId === null),
    onSome: ({ registration }) =>
      accountOwners.filter((installation) =>
        installation.tenantId === registration.tenantId && installation.registrationId === registration.id
      )
  })
