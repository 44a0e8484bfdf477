/** The names a new provider is generated under, all derived from its id and display name. */
export interface Names {
  /** `acme`: routes, tool names (`mcp_acme_...`), session keys. */
  readonly id: string
  /** `Acme Tickets`: what people read. */
  readonly name: string
  /** `AcmeTickets`: module names (`AcmeTicketsProvider.ts`). */
  readonly pascal: string
  /** `ACME`: the prefix of its settings (`ACME_WEBHOOK_SECRET`). */
  readonly env: string
}

export const ID = /^[a-z][a-z0-9]{1,30}$/

export const namesOf = (id: string, displayName: string): Names => {
  const words = displayName.split(/[^A-Za-z0-9]+/).filter((word) => word.length > 0)
  const pascal = words.map((word) => word[0]!.toUpperCase() + word.slice(1)).join("")
  return { id, name: displayName.trim(), pascal: /^[A-Z]/.test(pascal) ? pascal : `P${pascal}`, env: id.toUpperCase() }
}
