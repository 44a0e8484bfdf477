/** The settings readers every provider loads its configuration with, and the one encoding module. */
import { Config, ConfigProvider, Effect, Option, Redacted } from "effect"
import { describe, expect, it } from "vitest"
import * as Encoding from "../../../kernel/encoding/Encoding.ts"
import * as Settings from "../../../kernel/provider/Settings.ts"

const load = <A>(config: Config.Config<A>, env: Record<string, string>) =>
  Effect.runPromise(Effect.provide(Effect.gen(function*() {
    return yield* config
  }), ConfigProvider.layer(ConfigProvider.fromEnvRecord(env))))

describe("provider settings", () => {
  it("treats blank as absent, trims, splits rotation lists, strips base URLs and pairs OAuth clients", async () => {
    const settings = Config.all({
      team: Settings.text("ACME_TEAM"),
      secret: Settings.secret("ACME_SECRET"),
      rotation: Settings.secrets("ACME_WEBHOOK_SECRET"),
      api: Settings.baseUrl("ACME_API_URL", "https://api.acme.example/"),
      hosts: Settings.list("ACME_HOSTS", "*.acme.example"),
      oauth: Settings.oauthClient("ACME")
    })
    const blank = await load(settings, { ACME_TEAM: "  ", ACME_SECRET: " ", ACME_CLIENT_ID: "id" })
    expect(blank).toMatchObject({ team: Option.none(), secret: Option.none(), rotation: [], api: "https://api.acme.example", hosts: ["*.acme.example"], oauth: Option.none() })
    const set = await load(settings, {
      ACME_TEAM: " eng ",
      ACME_WEBHOOK_SECRET: "new, old,",
      ACME_API_URL: "http://127.0.0.1:9/v1/",
      ACME_HOSTS: "a.example, ,b.example",
      ACME_CLIENT_ID: "id",
      ACME_CLIENT_SECRET: "shh"
    })
    expect(set.team).toEqual(Option.some("eng"))
    expect(set.rotation.map(Redacted.value)).toEqual(["new", "old"])
    expect(set.api).toBe("http://127.0.0.1:9/v1")
    expect(set.hosts).toEqual(["a.example", "b.example"])
    expect(Option.map(set.oauth, (client) => [client.clientId, Redacted.value(client.clientSecret)])).toEqual(Option.some(["id", "shh"]))
  })
})

describe("encoding", () => {
  it("round-trips base64, base64url, hex and UTF-8, and answers undefined for foreign alphabets", () => {
    const bytes = crypto.getRandomValues(new Uint8Array(33))
    expect(Encoding.base64Decode(Encoding.base64Encode(bytes))).toEqual(bytes)
    expect(Encoding.base64UrlDecode(Encoding.base64UrlEncode(bytes))).toEqual(bytes)
    expect(Encoding.hexDecode(Encoding.hexEncode(bytes))).toEqual(bytes)
    expect(Encoding.base64Decode("aGVsbG8")).toEqual(Encoding.utf8Encode("hello"))
    expect(Encoding.base64UrlDecode("a+b/")).toBeUndefined()
    expect(Encoding.hexDecode("abc")).toBeUndefined()
    expect(Encoding.hexDecode("")).toBeUndefined()
    expect(Encoding.utf8Decode(new Uint8Array([0xff]))).toBeUndefined()
    // Decoded leniently first: a U+FFFD the sender wrote is text, one the decoder would write is not.
    expect(Encoding.utf8Decode(Encoding.utf8Encode("caf\u00e9 \uFFFD \u{1F600}"))).toBe("caf\u00e9 \uFFFD \u{1F600}")
    expect(Encoding.utf8Decode(new Uint8Array([0x61, 0xef, 0xbf, 0xbd, 0xc3]))).toBeUndefined()
    expect(Encoding.utf8Decode(new Uint8Array([0xed, 0xa0, 0x80]))).toBeUndefined() // a lone surrogate
    expect(Encoding.utf8Decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]))).toBe("{}") // the BOM dropped, as before
    expect(Encoding.randomToken(12)).toMatch(/^[A-Za-z0-9_-]{16}$/)
  })
})
