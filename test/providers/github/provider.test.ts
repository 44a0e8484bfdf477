/**
 * The GitHub provider's pieces on their own: the factory with no settings at all, PKCS#1 keys
 * turned into PKCS#8 for jose (checked against a key pair made by Web Crypto), the rate-limit
 * reading of GitHub's headers and messages, and what counts as an @mention of the bot.
 */
import { ConfigProvider, Effect, Option, Redacted, Result } from "effect"
import { jwtVerify, SignJWT } from "jose"
import { describe, expect, it } from "vitest"
import { requiredPermissions, SCOPES } from "../../../providers/github/publication/Scopes.ts"
import * as GitHubProvider from "../../../providers/github/GitHubProvider.ts"
import { derLength, importAppKey, toPkcs8Pem } from "../../../providers/github/install/AppKeys.ts"
import { rateLimitOf } from "../../../providers/github/tools/RateLimits.ts"
import { mentions } from "../../../providers/github/webhook/Bot.ts"
import { generateAppKeys } from "../../../sandbox/fakes/github/FakeGitHubKeys.ts"

const build = (env: Record<string, string>) =>
  Effect.runPromise(GitHubProvider.make.pipe(Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnvRecord(env)))))

describe("GitHubProvider.make", () => {
  it("builds with no settings at all, listing every tool behind a scope", async () => {
    const provider = await build({})
    expect(provider.id).toBe("github")
    expect(provider.tools).toHaveLength(16)
    expect(new Set(provider.tools.map((tool) => tool.scope))).toEqual(new Set(SCOPES.map((scope) => scope.name)))
    expect(provider.granularities).toEqual(["issue", "workspace"])
    expect(provider.filters.map((filter) => filter.key)).toEqual(["repo", "trigger", "label"])
    expect(provider.filters[2]?.description).toContain("\"agent\"")
    expect(provider.registration?.manifestFlow).toBeDefined()
  })

  it("reads the trigger label and asks the App for exactly the permissions its scopes need", async () => {
    expect((await build({ GITHUB_TRIGGER_LABEL: "copilot" })).filters[2]?.description).toContain("\"copilot\"")
    expect(requiredPermissions()).toEqual({ metadata: "read", issues: "write", pull_requests: "write", contents: "write" })
  })
})

describe("GitHub App keys", () => {
  it("encodes DER lengths in short and long form", () => {
    expect(derLength(5)).toEqual([5])
    expect(derLength(200)).toEqual([0x81, 200])
    expect(derLength(1190)).toEqual([0x82, 0x04, 0xa6])
  })

  it("imports GitHub's PKCS#1 key, and its RS256 signatures verify with the public key", async () => {
    const keys = await generateAppKeys()
    expect(keys.privateKeyPem.startsWith("-----BEGIN RSA PRIVATE KEY-----\n")).toBe(true)
    const key = await Effect.runPromise(importAppKey(Redacted.make(keys.privateKeyPem)))
    const token = await new SignJWT({}).setProtectedHeader({ alg: "RS256" }).setIssuer("42").sign(key)
    expect((await jwtVerify(token, keys.publicKey, { algorithms: ["RS256"] })).payload.iss).toBe("42")
    const pkcs8 = toPkcs8Pem(keys.privateKeyPem)
    expect(Result.isSuccess(pkcs8) && pkcs8.success.startsWith("-----BEGIN PRIVATE KEY-----")).toBe(true)
    expect(Result.isSuccess(pkcs8) && toPkcs8Pem(pkcs8.success)).toEqual(pkcs8)
  })

  it("refuses what is not a usable RSA key, saying what to paste", () => {
    const problem = (pem: string) => Result.match(toPkcs8Pem(pem), { onFailure: (error) => error.problem, onSuccess: () => "ok" })
    expect(problem("ssh-rsa AAAA")).toBe("NotPem")
    expect(problem("-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----")).toBe("Encrypted")
    expect(problem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----")).toBe("NotRsa")
    expect(problem("-----BEGIN RSA PRIVATE KEY-----\n!!!!\n-----END RSA PRIVATE KEY-----")).toBe("Unreadable")
  })
})

describe("GitHub rate limits", () => {
  const now = Date.UTC(2026, 10, 1)
  const answer = (status: number, headers: Record<string, string>) => ({ status, headers, text: "" })

  it("reads primary, secondary and permission answers as GitHub documents them", () => {
    const reset = String(now / 1000 + 120)
    expect(rateLimitOf(answer(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), "API rate limit exceeded", now))
      .toEqual(Option.some({ kind: "primary", retryAfterSeconds: 120 }))
    expect(rateLimitOf(answer(403, { "retry-after": "30", "x-ratelimit-remaining": "4000" }), "You have exceeded a secondary rate limit", now))
      .toEqual(Option.some({ kind: "secondary", retryAfterSeconds: 30 }))
    expect(rateLimitOf(answer(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset }), "secondary rate limit", now))
      .toEqual(Option.some({ kind: "secondary", retryAfterSeconds: 120 }))
    expect(rateLimitOf(answer(403, {}), "You have triggered an abuse detection mechanism", now))
      .toEqual(Option.some({ kind: "secondary", retryAfterSeconds: 60 }))
    expect(rateLimitOf(answer(429, {}), "Too Many Requests", now)).toEqual(Option.some({ kind: "secondary", retryAfterSeconds: 60 }))
    expect(rateLimitOf(answer(403, { "x-ratelimit-remaining": "4999" }), "Resource not accessible by integration", now)).toEqual(Option.none())
    expect(rateLimitOf(answer(404, { "retry-after": "5" }), "Not Found", now)).toEqual(Option.none())
  })
})

describe("mentions of the bot", () => {
  const bot = { slug: "switchboard-acme", login: "switchboard-acme[bot]", appId: Option.some("1") }

  it("finds @slug and @slug[bot] as whole handles only", () => {
    expect(mentions(bot, "@switchboard-acme please")).toBe(true)
    expect(mentions(bot, "cc (@Switchboard-Acme)")).toBe(true)
    expect(mentions(bot, "thanks @switchboard-acme[bot]!")).toBe(true)
    expect(mentions(bot, "@switchboard-acme-2 is another app")).toBe(false)
    expect(mentions(bot, "mail ops@switchboard-acme.com")).toBe(false)
    expect(mentions(bot, "see acme/@switchboard-acme")).toBe(false)
    expect(mentions(bot, null)).toBe(false)
  })
})
