/**
 * What a stored delivery keeps of its request headers (`kernel/webhooks/StoredHeaders.ts`): for
 * every registered provider, the header its declared scheme reads the signature from is left out,
 * with the other vendors' signature headers and proxy credentials; what rereading a stored event
 * needs (delivery id, event name, timestamps, retry counts) is kept.
 */
import { ConfigProvider, Effect } from "effect"
import { describe, expect, it } from "vitest"
import { declaredSignatureHeaders, withoutCredentials } from "../../kernel/webhooks/StoredHeaders.ts"
import { providers } from "../../providers/index.ts"

const env = {
  LINEAR_CLIENT_ID: "lin_client",
  LINEAR_CLIENT_SECRET: "lin_secret",
  LINEAR_WEBHOOK_SECRET: "whsec_linear"
}

const kept = {
  "content-type": "application/json",
  "linear-delivery": "dlv-1",
  "linear-event": "Issue",
  "x-github-delivery": "guid-1",
  "x-github-event": "issues",
  "x-slack-request-timestamp": "1750000000",
  "x-slack-retry-num": "1",
  "x-atlassian-webhook-identifier": "jira-1",
  "user-agent": "Linear-Webhook"
}

const credentials = {
  "linear-signature": "a1",
  "x-hub-signature-256": "sha256=b2",
  "x-hub-signature": "sha1=c3",
  "x-slack-signature": "v0=d4",
  authorization: "Bearer e5",
  "proxy-authorization": "Basic f6",
  cookie: "session=g7",
  "x-gitlab-token": "h8",
  "stripe-signature": "t=1,v1=i9",
  "x-custom-webhook-secret": "j10"
}

describe("stored webhook headers", () => {
  it("leave out every provider's declared signature header, known signatures and credentials", async () => {
    const registered = await Effect.runPromise(
      Effect.all(providers).pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))
    )
    const declared = registered.map((provider) => [provider.id, declaredSignatureHeaders(provider.webhook)] as const)
    // Each of the four vendors declares an HMAC scheme, so each names its header.
    expect(declared.map(([id, headers]) => [id, headers.length])).toEqual(registered.map((provider) => [provider.id, 1]))
    for (const [id, headers] of declared) {
      const request = new Headers({ ...kept, ...credentials, [headers[0]!]: "declared-signature" })
      const stored = withoutCredentials(request, headers)
      expect(stored, id).toEqual(kept)
    }
  })

  it("clean a record stored before signatures were left out, whatever the case of its names", () => {
    const legacy = { ...kept, "Linear-Signature": "a1", "X-Acme-Sig": "declared" }
    expect(withoutCredentials(legacy, ["x-acme-sig"])).toEqual(kept)
    expect(withoutCredentials(legacy, [])).toEqual({ ...kept, "x-acme-sig": "declared" })
  })
})
