/**
 * OAuth grants in a fake vendor: single-use authorization codes (with PKCE where the vendor
 * supports it) and the tokens a grant is made of, an access token and a rotating refresh token
 * (each works once). A grant is the unit, as at the vendors: revoking any of its tokens ends all
 * of them. What a token carries besides (the account, the app) is the fake's `Extra`; how each
 * answer is worded is the fake's too, so checks answer a reason, not a response.
 */
import { Base64Url } from "effect/encoding"
import { randomToken } from "./FakeCredentials.ts"

export type Invalid = "missing" | "unknown" | "revoked" | "expired" | "used"

export type Checked<A> = { readonly _tag: "Valid"; readonly entry: A } | { readonly _tag: "Invalid"; readonly reason: Invalid }

const invalid = (reason: Invalid) => ({ _tag: "Invalid", reason }) as const

// Codes

export type AuthorizationCode<Extra> = Extra & {
  readonly code: string
  readonly redirectUri: string
  readonly scopes: ReadonlyArray<string>
  /** The S256 challenge, or `plain:<verifier>`; null without PKCE. */
  readonly codeChallenge: string | null
  readonly expiresAt: number
  used: boolean
  /** The grant issued for this code, so a replayed code can end it (RFC 6749 §4.1.2). */
  grantId: string | null
}

export interface CodeRequest {
  readonly redirectUri: string
  readonly scopes: ReadonlyArray<string>
  readonly codeChallenge?: string | null | undefined
  readonly codeChallengeMethod?: string | undefined
}

const CODE_TTL_MS = 10 * 60 * 1000

/**
 * Where a fake keeps its codes: its state itself, so the dev sandbox's snapshots (which restore
 * a state's Maps in place) keep working.
 */
export interface CodeStore<Extra> {
  readonly now: () => number
  readonly codes: Map<string, AuthorizationCode<Extra>>
}

export const makeCodes = <Extra>(store: CodeStore<Extra>, format: { readonly code?: (() => string) | undefined } = {}) => {
  const { codes, now } = store
  return {
    /** A new code, valid ten minutes. */
    issue: (request: CodeRequest, extra: Extra): string => {
      const code = format.code?.() ?? randomToken("code_")
      const challenge = request.codeChallenge ?? null
      const entry: AuthorizationCode<Extra> = {
        ...extra,
        code,
        redirectUri: request.redirectUri,
        scopes: request.scopes,
        codeChallenge: challenge === null ? null : request.codeChallengeMethod === "plain" ? `plain:${challenge}` : challenge,
        expiresAt: now() + CODE_TTL_MS,
        used: false,
        grantId: null
      }
      codes.set(code, entry)
      return code
    },
    /** The code if it can be redeemed (`accept` narrows it, e.g. to the client it was issued to); not yet marked used. */
    check: (code: string | null | undefined, accept: (entry: AuthorizationCode<Extra>) => boolean = () => true): Checked<AuthorizationCode<Extra>> => {
      const entry = codes.get(code ?? "")
      if (entry === undefined || !accept(entry)) return invalid("unknown")
      if (entry.used) return invalid("used")
      if (entry.expiresAt <= now()) return invalid("expired")
      return { _tag: "Valid", entry }
    }
  }
}

/** Whether `verifier` answers the code's PKCE challenge (S256, or plain). */
export const pkceMatches = async (challenge: string, verifier: string): Promise<boolean> => {
  if (challenge.startsWith("plain:")) return challenge.slice("plain:".length) === verifier
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier))
  return Base64Url.encode(new Uint8Array(digest)) === challenge
}

// Tokens

export type AccessToken<Extra> = Extra & {
  readonly token: string
  readonly grantId: string
  readonly scopes: ReadonlyArray<string>
  /** Epoch ms; null for a token that never expires. */
  expiresAt: number | null
  revoked: boolean
}

export type RefreshToken<Extra> = Extra & {
  readonly token: string
  readonly grantId: string
  readonly scopes: ReadonlyArray<string>
  /** Rotated away: a refresh token works once. */
  used: boolean
  revoked: boolean
}

export interface IssuedTokens {
  readonly accessToken: string
  /** None where the vendor hands out no refresh token (a non-rotating install). */
  readonly refreshToken: string
  readonly expiresIn: number
  readonly scopes: ReadonlyArray<string>
}

/** Where a fake keeps its tokens: its state itself, for the same reason as codes. */
export interface TokenStore<Extra> {
  readonly now: () => number
  readonly accessTokens: Map<string, AccessToken<Extra>>
  readonly refreshTokens: Map<string, RefreshToken<Extra>>
  /** Lifetime of access tokens issued from now on. */
  accessTokenTtlSeconds: number
}

/** Token prefixes in the vendor's format, and how many random bytes follow. */
export interface TokenFormat {
  readonly accessPrefix: string
  readonly refreshPrefix: string
  readonly bytes?: number | undefined
}

export interface Issue<Extra> {
  readonly grantId?: string | undefined
  readonly scopes: ReadonlyArray<string>
  readonly extra: Extra
  /** Default: the store's lifetime; null: a token that never expires. */
  readonly expiresInSeconds?: number | null | undefined
  /** Default true; false for a vendor's non-rotating tokens. */
  readonly refresh?: boolean | undefined
  /** The access token's prefix, where it differs per grant. */
  readonly accessPrefix?: string | undefined
}

export const makeGrants = <Extra>(store: TokenStore<Extra>, format: TokenFormat) => {
  const { accessTokens, now, refreshTokens } = store

  const revokeGrant = (grantId: string): void => {
    for (const entry of accessTokens.values()) if (entry.grantId === grantId) entry.revoked = true
    for (const entry of refreshTokens.values()) if (entry.grantId === grantId) entry.revoked = true
  }

  const issue = (request: Issue<Extra>): IssuedTokens => {
    const grantId = request.grantId ?? crypto.randomUUID()
    const lifetime = request.expiresInSeconds === undefined ? store.accessTokenTtlSeconds : request.expiresInSeconds
    const accessToken = randomToken(request.accessPrefix ?? format.accessPrefix, format.bytes)
    accessTokens.set(accessToken, {
      ...request.extra,
      token: accessToken,
      grantId,
      scopes: request.scopes,
      expiresAt: lifetime === null ? null : now() + lifetime * 1000,
      revoked: false
    })
    if (request.refresh === false) return { accessToken, refreshToken: "", expiresIn: lifetime ?? 0, scopes: request.scopes }
    const refreshToken = randomToken(format.refreshPrefix, format.bytes)
    refreshTokens.set(refreshToken, { ...request.extra, token: refreshToken, grantId, scopes: request.scopes, used: false, revoked: false })
    return { accessToken, refreshToken, expiresIn: lifetime ?? 0, scopes: request.scopes }
  }

  return {
    issue,
    revokeGrant,
    /** Revoking any token of a grant ends the whole grant, as uninstalling the app does. */
    revokeGrantOf: (token: string): boolean => {
      const grantId = accessTokens.get(token)?.grantId ?? refreshTokens.get(token)?.grantId
      if (grantId === undefined) return false
      revokeGrant(grantId)
      return true
    },
    /** Ends every grant with a live access token that `which` picks; answers those access tokens. */
    revokeAll: (which: (entry: AccessToken<Extra>) => boolean = () => true): ReadonlyArray<AccessToken<Extra>> => {
      const live = [...accessTokens.values()].filter((entry) => !entry.revoked && which(entry))
      for (const grantId of new Set(live.map((entry) => entry.grantId))) revokeGrant(grantId)
      return live
    },
    expire: (token: string): boolean => {
      const entry = accessTokens.get(token)
      if (entry === undefined) return false
      entry.expiresAt = now() - 1
      return true
    },
    /** Expires every live access token (refresh tokens stay good), as a day without traffic would; answers how many. */
    expireAll: (): number => {
      const live = [...accessTokens.values()].filter((entry) => !entry.revoked && (entry.expiresAt === null || entry.expiresAt > now()))
      for (const entry of live) entry.expiresAt = now() - 1
      return live.length
    },
    /** The access token a bearer names, if it is live. */
    check: (token: string | null): Checked<AccessToken<Extra>> => {
      if (token === null || token.length === 0) return invalid("missing")
      const entry = accessTokens.get(token)
      if (entry === undefined) return invalid("unknown")
      if (entry.revoked) return invalid("revoked")
      if (entry.expiresAt !== null && entry.expiresAt <= now()) return invalid("expired")
      return { _tag: "Valid", entry }
    },
    /** Redeems a refresh token (`accept` narrows it, e.g. to its client): marks it used and answers it. */
    redeem: (token: string | null | undefined, accept: (entry: RefreshToken<Extra>) => boolean = () => true): Checked<RefreshToken<Extra>> => {
      const entry = refreshTokens.get(token ?? "")
      if (entry === undefined || !accept(entry)) return invalid("unknown")
      if (entry.revoked) return invalid("revoked")
      if (entry.used) return invalid("used")
      entry.used = true
      return { _tag: "Valid", entry }
    }
  }
}

export type Grants<Extra> = ReturnType<typeof makeGrants<Extra>>

/** How Linear and Atlassian word a failed bearer check. */
export const BEARER_REASONS: Readonly<Record<Invalid, string>> = {
  missing: "no bearer token",
  unknown: "unknown token",
  revoked: "revoked token",
  expired: "expired token",
  used: "used token"
}

/** The OAuth side of a fake's state: its codes, tokens, token lifetime and consent switch. */
export interface OAuthStore<CodeExtra, TokenExtra> extends CodeStore<CodeExtra>, TokenStore<TokenExtra> {
  /** Approve the authorize step without showing the consent page (for scripts that follow redirects). */
  autoApprove: boolean
}

/** A fresh OAuth store, to spread into a fake's state. */
export const makeOAuthStore = <CodeExtra, TokenExtra>(options: {
  readonly now?: (() => number) | undefined
  readonly autoApprove?: boolean | undefined
  readonly accessTokenTtlSeconds: number
}): OAuthStore<CodeExtra, TokenExtra> => ({
  now: options.now ?? Date.now,
  autoApprove: options.autoApprove ?? false,
  accessTokenTtlSeconds: options.accessTokenTtlSeconds,
  codes: new Map(),
  accessTokens: new Map(),
  refreshTokens: new Map()
})
