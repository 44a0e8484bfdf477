/**
 * The signed deliveries the bench sends, as templates for `signed.lua`: a fixed body prefix of
 * whole 64-byte blocks (counting what the scheme signs before the body) and a short suffix that
 * holds each request's unique id, so the JSON stays valid and every body differs.
 */

export interface SignedTemplate {
  readonly key: string
  /** Signed before the body (Slack's `v0:<timestamp>:`); empty for GitHub. */
  readonly signedPrefix: string
  readonly bodyPrefix: string
  /** The body's end: `{id}` is replaced with the request's unique id, `{n}` with its number. */
  readonly suffix: string
  readonly headers: Readonly<Record<string, string>>
  readonly signatureHeader: string
  readonly signaturePrefix: string
  readonly deliveryHeader?: string | undefined
}

/** Pads `filler` inside the body so that signed prefix + body prefix is `size`-ish and whole blocks. */
const aligned = (signedPrefix: string, build: (filler: string) => string, size: number): string => {
  const base = build("").length + signedPrefix.length
  let length = Math.max(0, size - base)
  length += (64 - ((base + length) % 64)) % 64
  const words = "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor "
  const filler = words.repeat(Math.ceil(length / words.length) + 1).slice(0, length)
  const body = build(filler)
  if ((signedPrefix.length + body.length) % 64 !== 0) throw new Error("the body prefix is not block aligned")
  return body
}

export const GITHUB_SECRET = "bench-github-webhook-secret"
export const GITHUB_INSTALLATION_ID = 61_000_001

const user = (login: string, id: number) => ({
  login,
  id,
  node_id: `U_${id}`,
  avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
  url: `https://api.github.com/users/${login}`,
  html_url: `https://github.com/${login}`,
  type: "User",
  site_admin: false
})

/**
 * A GitHub `issue_comment.created` of about 8 KB, as GitHub sends it to an App. `mention` puts
 * `@<bot>` in the comment, so an installation with a publication dispatches it.
 */
export const gitHubIssueComment = (options: {
  readonly installationId?: number
  readonly mention?: string
  /**
   * Each request on an issue of its own (number = the request's number), so dispatches go to as
   * many sessions instead of queueing behind one (a session's dispatches are delivered in order).
   * The suffix repeats the `issue` key; JSON's last one wins, as in every parser used here.
   */
  readonly issuePerRequest?: boolean
} = {}): SignedTemplate => {
  const repository = {
    id: 700_000_001,
    node_id: "R_700000001",
    name: "switchboard-bench",
    full_name: "bench-org/switchboard-bench",
    private: true,
    owner: user("bench-org", 9_000_001),
    html_url: "https://github.com/bench-org/switchboard-bench",
    url: "https://api.github.com/repos/bench-org/switchboard-bench",
    default_branch: "main"
  }
  const issue = {
    id: 800_000_001,
    node_id: "I_800000001",
    number: 42,
    title: "Webhook ingest is slower than it should be",
    user: user("octocat", 9_000_002),
    labels: [],
    state: "open",
    locked: false,
    comments: 3,
    created_at: "2026-12-01T10:00:00Z",
    updated_at: "2026-12-06T10:00:00Z",
    author_association: "MEMBER",
    body: "The bench says so.",
    html_url: "https://github.com/bench-org/switchboard-bench/issues/42",
    url: "https://api.github.com/repos/bench-org/switchboard-bench/issues/42"
  }
  const bodyPrefix = aligned("", (filler) => {
    const text = JSON.stringify({
      action: "created",
      issue,
      comment: {
        id: 900_000_001,
        node_id: "IC_900000001",
        url: "https://api.github.com/repos/bench-org/switchboard-bench/issues/comments/900000001",
        html_url: "https://github.com/bench-org/switchboard-bench/issues/42#issuecomment-900000001",
        user: user("octocat", 9_000_002),
        created_at: "2026-12-06T10:00:00Z",
        updated_at: "2026-12-06T10:00:00Z",
        author_association: "MEMBER",
        body: `${options.mention === undefined ? "" : `@${options.mention} please look. `}${filler}`,
        reactions: { total_count: 0 },
        performed_via_github_app: null
      },
      repository,
      organization: { login: "bench-org", id: 9_000_001, node_id: "O_9000001", description: null },
      sender: user("octocat", 9_000_002),
      installation: { id: options.installationId ?? GITHUB_INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9u" }
    })
    // The id closes the object: `..., "bench_id": "<id>"}`.
    return `${text.slice(0, -1)},"bench_id":"`
  }, 8192)
  const issuePerRequest = `,"issue":{"number":{n},"title":"Bench issue {n}","body":null,"state":"open","user":null,"labels":[],` +
    `"html_url":"https://github.com/bench-org/switchboard-bench/issues/{n}","pull_request":null}`
  return {
    key: GITHUB_SECRET,
    signedPrefix: "",
    bodyPrefix,
    suffix: `{id}"${options.issuePerRequest === true ? issuePerRequest : ""}}`,
    headers: {
      "Content-Type": "application/json",
      "User-Agent": "GitHub-Hookshot/5a3e2b1",
      Accept: "*/*",
      "X-GitHub-Event": "issue_comment",
      "X-GitHub-Hook-ID": "500000001",
      "X-GitHub-Hook-Installation-Target-Type": "integration",
      "X-GitHub-Hook-Installation-Target-ID": "1000001"
    },
    signatureHeader: "X-Hub-Signature-256",
    signaturePrefix: "sha256=",
    deliveryHeader: "X-GitHub-Delivery"
  }
}

export const SLACK_SIGNING_SECRET = "bench-slack-signing-secret"

/** A Slack `app_mention` event callback of about 8 KB, signed `v0:<timestamp>:<body>` (valid five minutes). */
export const slackAppMention = (timestamp: number): SignedTemplate => {
  const signedPrefix = `v0:${timestamp}:`
  const bodyPrefix = aligned(signedPrefix, (filler) => {
    const text = JSON.stringify({
      token: "bench-verification-token",
      team_id: "T0BENCH001",
      api_app_id: "A0BENCH001",
      event: {
        type: "app_mention",
        user: "U0BENCH001",
        text: `<@U0BENCHBOT> please look. ${filler}`,
        ts: "1765015200.000100",
        channel: "C0BENCH001",
        event_ts: "1765015200.000100"
      },
      type: "event_callback",
      authorizations: [{ enterprise_id: null, team_id: "T0BENCH001", user_id: "U0BENCHBOT", is_bot: true }],
      event_time: 1765015200
    })
    return `${text.slice(0, -1)},"event_id":"Ev`
  }, 8192)
  return {
    key: SLACK_SIGNING_SECRET,
    signedPrefix,
    bodyPrefix,
    suffix: `{id}"}`,
    headers: { "Content-Type": "application/json", "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)", "X-Slack-Request-Timestamp": String(timestamp) },
    signatureHeader: "X-Slack-Signature",
    signaturePrefix: "v0="
  }
}
