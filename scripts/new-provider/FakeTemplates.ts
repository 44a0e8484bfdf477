/** Templates: a minimal local fake of the vendor (its API and test controls), its webhook signer, and the kit test. */
import type { Names } from "./Names.ts"

export const fake = (n: Names) => `/**
 * A local fake of ${n.name} for tests and the dev sandbox: the API the provider uses
 * (\`GET /api/me\`, \`GET /api/items/:id\`) over in-memory state, built on the fake-vendor kit
 * (\`sandbox/kit/FakeVendor.ts\`: routes, bearer credentials, faults), plus controls for tests
 * (seed items, force a rate limit or an outage). Serve it with \`test/support/serve.ts\` and point
 * the provider at it with ${n.env}_API_URL. Test tooling: never deploy it.
 */
import { bearerOf } from "../../kit/FakeCredentials.ts"
import { faultResponse, type Faults, makeFaults } from "../../kit/FakeFaults.ts"
import { json } from "../../kit/FakeResponses.ts"
import type { RouteHandler } from "../../kit/FakeRouting.ts"
import { defineFake, type Fake } from "../../kit/FakeVendor.ts"

export interface Fake${n.pascal}Item {
  readonly id: string
  title: string
  status: string
  assigneeId: string | null
}

interface Fake${n.pascal}State {
  readonly workspace: { readonly id: string; readonly name: string }
  readonly agent: { readonly id: string; readonly name: string }
  readonly apiToken: string
  readonly items: Map<string, Fake${n.pascal}Item>
  readonly faults: Faults
  next: number
}

export interface Fake${n.pascal}Control {
  readonly workspace: { readonly id: string; readonly name: string }
  /** The account the agent acts as, and its API token. */
  readonly agent: { readonly id: string; readonly name: string }
  readonly apiToken: string
  readonly seedItem: (seed?: { readonly title?: string; readonly assigneeId?: string | null }) => Fake${n.pascal}Item
  readonly item: (id: string) => Fake${n.pascal}Item | undefined
  /** \`false\` turns it off; otherwise every API call answers 429 with this Retry-After. */
  readonly setRateLimited: (limit: false | { readonly retryAfterSeconds: number }) => void
  /** The next API call answers 500. */
  readonly failNext: () => void
}

export type Fake${n.pascal} = Fake<Fake${n.pascal}Control>

/** An API call: the agent's bearer token, then any forced fault, then the work. */
const api = (state: Fake${n.pascal}State, handle: RouteHandler): RouteHandler => (match) => {
  if (bearerOf(match.request) !== state.apiToken) return json(401, { error: { message: "Invalid token" } })
  const fault = state.faults.take()
  return fault === undefined ? handle(match) : faultResponse(fault)
}

export const makeFake${n.pascal}: () => Fake${n.pascal} = defineFake({
  name: "${n.name}",
  makeState: (): Fake${n.pascal}State => ({
    workspace: { id: "ws-0001", name: "Fake ${n.name} workspace" },
    agent: { id: "user-agent-0001", name: "Switchboard Agent" },
    apiToken: "fake-${n.id}-api-token",
    items: new Map(),
    faults: makeFaults(),
    next: 1
  }),
  makeControl: (state): Fake${n.pascal}Control => ({
    workspace: state.workspace,
    agent: state.agent,
    apiToken: state.apiToken,
    seedItem: (seed = {}) => {
      const item: Fake${n.pascal}Item = { id: "item-" + state.next++, title: seed.title ?? "Fix the flaky test", status: "open", assigneeId: seed.assigneeId ?? null }
      state.items.set(item.id, item)
      return item
    },
    item: (id) => state.items.get(id),
    setRateLimited: (limit) =>
      state.faults.setAlways(limit === false ? false : { status: 429, body: { error: { message: "Slow down" } }, headers: { "retry-after": String(limit.retryAfterSeconds) } }),
    failNext: () => state.faults.failNext({ status: 500, body: { error: { message: "Internal error" } } })
  }),
  routes: (state) => [
    ["GET", "/api/me", api(state, () => json(200, { user: state.agent, workspace: state.workspace }))],
    ["GET", "/api/items/:id", api(state, ({ params }) => {
      const item = state.items.get(params["id"] ?? "")
      return item === undefined ? json(404, { error: { message: "No such item" } }) : json(200, item)
    })]
  ]
})
`

export const sign = (n: Names) => `/**
 * Webhook deliveries the way ${n.name} sends them: the JSON body, \`X-${n.pascal}-Delivery\` (the
 * delivery id) and \`X-${n.pascal}-Signature: sha256=<hex HMAC-SHA256 of the exact body>\`, signed
 * with the provider kit's helper (the kernel's own HMAC). \`itemAssigned\` builds the example event.
 */
import { hmacSha256Hex, type SignedWebhook } from "../../kit/Signing.ts"

export const sign${n.pascal}Webhook = async (options: { readonly secret: string; readonly body: string; readonly deliveryId: string }): Promise<SignedWebhook> => ({
  body: options.body,
  headers: {
    "content-type": "application/json",
    "x-${n.id}-delivery": options.deliveryId,
    "x-${n.id}-signature": "sha256=" + (await hmacSha256Hex(options.secret, options.body))
  }
})

export const itemAssigned = (options: {
  readonly workspaceId: string
  readonly item: { readonly id: string; readonly title: string }
  readonly assigneeId: string
  readonly actor?: { readonly id: string; readonly name: string } | undefined
}) => ({
  type: "item.assigned",
  workspaceId: options.workspaceId,
  sentAt: Date.now(),
  actor: options.actor ?? { id: "user-human-0001", name: "Ada Lovelace" },
  item: { id: options.item.id, title: options.item.title, assigneeId: options.assigneeId }
})
`

export const kitTest = (n: Names) => `/**
 * The ${n.name} provider passes the provider kit (docs/writing-a-provider.md): installed by
 * credential paste against its fake, an item assigned to the agent as the event that dispatches,
 * a rate-limited API as the vendor error.
 */
import * as ${n.pascal}Provider from "../../../providers/${n.id}/${n.pascal}Provider.ts"
import { makeFake${n.pascal} } from "../../../sandbox/fakes/${n.id}/Fake${n.pascal}.ts"
import { itemAssigned, sign${n.pascal}Webhook } from "../../../sandbox/fakes/${n.id}/sign.ts"
import { installByPaste } from "../../../sandbox/kit/KitInstall.ts"
import { runProviderKit } from "../../support/kit/runProviderKit.ts"

const WEBHOOK_SECRET = "${n.id}-kit-webhook-secret"

runProviderKit({
  provider: ${n.pascal}Provider.make,
  fake: {
    make: makeFake${n.pascal},
    env: (url) => ({ ${n.env}_API_URL: url, ${n.env}_WEBHOOK_SECRET: WEBHOOK_SECRET })
  },
  install: (world) => installByPaste(world, "${n.id}", { apiToken: world.fake.control.apiToken }),
  publication: { granularity: "issue" },
  webhook: {
    secret: WEBHOOK_SECRET,
    signatureHeader: "x-${n.id}-signature",
    sign: ({ body, deliveryId, secret }) => sign${n.pascal}Webhook({ secret, body, deliveryId }),
    dispatching: (world) => {
      const { control } = world.fake
      const item = control.seedItem({ title: "Kit item", assigneeId: control.agent.id })
      return JSON.stringify(itemAssigned({ workspaceId: control.workspace.id, item, assigneeId: control.agent.id }))
    }
  },
  tools: {
    samples: {
      get_item: { valid: [{ itemId: "item-1" }], invalid: [{}, { itemId: "" }, { itemId: "has spaces" }] }
    },
    vendorError: {
      tool: "get_item",
      input: (world) => ({ itemId: world.fake.control.seedItem().id }),
      arrange: (world) => world.fake.control.setRateLimited({ retryAfterSeconds: 30 }),
      restore: (world) => world.fake.control.setRateLimited(false),
      reasons: ["RateLimited"]
    }
  }
})
`
