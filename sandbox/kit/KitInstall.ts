/**
 * Installing a provider for a tenant in the in-process kernel, as an admin's browser would:
 * through OAuth (the kernel's hand-off page, its Continue link to the fake's consent page, which
 * auto-approves, then the callback with the install cookie) or by credential paste. Both go through the kernel's real routes.
 */
import { handOffOf } from "./HandOff.ts"
import type { KitWorld } from "./KitTypes.ts"

const failure = async (what: string, response: Response) =>
  new Error(`${what}: HTTP ${response.status} ${(await response.text()).slice(0, 500)}`)

/** OAuth install against a fake whose consent page approves at once (answers a 302 to the callback). */
export const installByOAuth = async (world: KitWorld, providerId: string): Promise<void> => {
  const handOff = await handOffOf(await world.kernel.request(`/install/${providerId}`, { apiKey: world.apiKey, redirect: "manual" }))
  const consent = await fetch(handOff.consentUrl, { redirect: "manual" })
  const location = consent.headers.get("location")
  if (consent.status !== 302 || location === null) {
    throw await failure("the fake's consent page did not redirect back (is auto-approval on?)", consent)
  }
  const callback = new URL(location)
  const finished = await world.kernel.request(`${callback.pathname}${callback.search}`, {
    redirect: "manual",
    headers: { cookie: handOff.cookie }
  })
  if (finished.status !== 200 && finished.status !== 302) throw await failure("install callback", finished)
}

/** Credential paste: the provider validates `fields` with the (fake) vendor before storing them. */
export const installByPaste = async (
  world: KitWorld,
  providerId: string,
  fields: Readonly<Record<string, string>>
): Promise<void> => {
  const response = await world.kernel.request(`/install/${providerId}`, {
    method: "POST",
    apiKey: world.apiKey,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ fields })
  })
  if (response.status !== 201) throw await failure("credential paste", response)
}
