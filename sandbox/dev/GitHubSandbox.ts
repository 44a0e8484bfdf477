/**
 * GitHub in the sandbox: the fake GitHub (app creation from a manifest, the install page, the
 * App and REST endpoints), deliveries signed with the App's own webhook secret, an issue's
 * comments as the agent's visible work, and the demo agent's plan: `get_issue`, then
 * `create_comment` on the dispatch's issue.
 *
 * There is no deployment App here: as GitHub recommends, each tenant makes its own from the
 * Console ("Use your own GitHub app", then "Create the app on GitHub"), so the App, its webhook
 * secret and its installation live in the fake. The fake's own controls are in-process only, so
 * this adapter adds a few under `/_fake/...` for the sandbox and `switchboard simulate`:
 *
 * | route | what |
 * |---|---|
 * | `GET /_fake/state` | the web user, Apps (slug, hook URL, webhook secret) and installations |
 * | `POST /_fake/issues` | `{ repo, title, body? }`: the repository (made if missing) and a new issue |
 * | `POST /_fake/deliveries` | `{ kind: "mention" \| "label", repo, number, appId, installationId }`: the delivery GitHub would send |
 * | `GET /_fake/comments?repo=&number=` | an issue's comments |
 */
import { Schema } from "effect"
import type { SessionDispatch } from "../../kernel/domain/SessionDispatch.ts"
import { base64Decode } from "../../kernel/encoding/Encoding.ts"
import { toPkcs8Pem } from "../../providers/github/GitHubKeys.ts"
import { makeFakeGitHub } from "../fakes/github/FakeGitHub.ts"
import type { FakeGitHubControl } from "../fakes/github/FakeGitHubControl.ts"
import { issueComment, issues } from "../fakes/github/payloads.ts"
import { signGitHubWebhook } from "../fakes/github/sign.ts"
import { type DemoPlan, fakeJson, type SandboxAdapter, type SandboxEvent } from "./Sandbox.ts"
import { restoreInto, snapshotOf } from "./Snapshot.ts"

/** Logs and settings: not worth keeping, or decided by this run's options. */
const NOT_PERSISTED = ["requests", "forcedLimit"]

const TRIGGER_LABEL = "agent"

const SAMPLE_ISSUES = [
  { title: "Flaky test: checkout_spec times out on CI", body: "About one run in ten; the timeout is 30 s." },
  { title: "README: the install steps skip npm ci", body: "New contributors hit a missing dependency." },
  { title: "Dark mode: the sidebar text is unreadable", body: "Contrast is about 2:1 on the nav links." }
]

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } })

const IssueBody = Schema.Struct({ repo: Schema.String, title: Schema.String, body: Schema.optional(Schema.String) })
const DeliveryBody = Schema.Struct({
  kind: Schema.Literals(["mention", "label"]),
  repo: Schema.String,
  number: Schema.Number,
  appId: Schema.Number,
  installationId: Schema.Number
})

const readBody = async <A>(request: Request, schema: Schema.Codec<A, unknown>) =>
  Schema.decodeUnknownOption(Schema.fromJsonString(schema))(await request.text())

/** The public key the fake checks App JWTs with, from the App's private key (a snapshot cannot hold a CryptoKey). */
const publicKeyOf = async (pem: string): Promise<CryptoKey | undefined> => {
  const pkcs8 = toPkcs8Pem(pem)
  if (pkcs8._tag === "Failure") return undefined
  const base64 = pkcs8.success.replace(/-----[^-]+-----/g, "").replace(/\s+/g, "")
  const der = base64Decode(base64)
  if (der === undefined) return undefined
  const algorithm = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }
  const privateKey = await crypto.subtle.importKey("pkcs8", der, algorithm, true, ["sign"])
  const jwk = await crypto.subtle.exportKey("jwk", privateKey)
  const publicJwk: JsonWebKey = { kty: "RSA", alg: "RS256", ext: true, ...(jwk.n === undefined ? {} : { n: jwk.n }), ...(jwk.e === undefined ? {} : { e: jwk.e }) }
  return crypto.subtle.importKey("jwk", publicJwk, algorithm, true, ["verify"])
}

const sandboxControls = (control: FakeGitHubControl) => {
  const state = control.state
  const view = () => ({
    webUser: state.webUser,
    apps: [...state.apps.values()].map((app) => ({
      id: app.id,
      slug: app.slug,
      name: app.name,
      hookUrl: app.hookUrl,
      webhookSecret: app.webhookSecret,
      bot: app.bot.login
    })),
    installations: [...state.installations.values()].map((installation) => ({
      id: installation.id,
      appId: installation.appId,
      account: installation.account.login,
      active: !installation.deleted && !installation.suspended
    })),
    issues: [...state.repos.values()].reduce((total, repo) => total + repo.issues.length, 0)
  })

  return async (request: Request, path: string): Promise<Response> => {
    const url = new URL(request.url)
    switch (`${request.method} ${path}`) {
      case "GET /_fake/state":
        return json(200, view())
      case "POST /_fake/issues": {
        const body = await readBody(request, IssueBody)
        if (body._tag === "None") return json(400, { error: "send { repo, title, body? }" })
        const { repo, title } = body.value
        if (!state.repos.has(repo.toLowerCase())) {
          await control.seedRepo(repo, { files: { "README.md": "# Sandbox\n\nA repository in the Switchboard sandbox.\n" } })
        }
        const issue = control.seedIssue(repo, { title, body: body.value.body ?? "" })
        return json(201, { repo, number: issue.number, title: issue.title })
      }
      case "POST /_fake/deliveries": {
        const body = await readBody(request, DeliveryBody)
        if (body._tag === "None") return json(400, { error: "send { kind, repo, number, appId, installationId }" })
        const { appId, installationId, kind, number, repo } = body.value
        const app = state.apps.get(appId)
        if (app === undefined) return json(404, { error: `no app ${appId}` })
        const where = { state, repo: control.repo(repo), installationId, sender: state.webUser }
        const issue = control.issue(repo, number)
        const delivery = kind === "mention"
          ? issueComment(where, "created", issue, { body: `@${app.slug} could you take a look at this one?` })
          : issues(where, "labeled", { ...issue, labels: [...issue.labels, TRIGGER_LABEL] }, { label: TRIGGER_LABEL })
        return json(200, delivery)
      }
      case "GET /_fake/comments": {
        const repo = url.searchParams.get("repo") ?? ""
        const number = Number(url.searchParams.get("number"))
        if (!state.repos.has(repo.toLowerCase())) return json(200, [])
        return json(200, control.comments(repo, number).map((comment) => ({
          body: comment.body,
          author: comment.user.login,
          byApp: comment.viaAppId !== null,
          createdAt: comment.createdAt
        })))
      }
      default:
        return json(404, { error: `the sandbox's fake GitHub has no control ${request.method} ${path}` })
    }
  }
}

const FakeState = Schema.Struct({
  webUser: Schema.String,
  apps: Schema.Array(Schema.Struct({ id: Schema.Number, slug: Schema.String, hookUrl: Schema.NullOr(Schema.String), webhookSecret: Schema.String })),
  installations: Schema.Array(Schema.Struct({ id: Schema.Number, appId: Schema.Number, account: Schema.String, active: Schema.Boolean })),
  issues: Schema.Number
})
const Seeded = Schema.Struct({ repo: Schema.String, number: Schema.Number, title: Schema.String })
const Delivery = Schema.Struct({ event: Schema.String, payload: Schema.Record(Schema.String, Schema.Unknown) })
const Comments = Schema.Array(Schema.Struct({ body: Schema.String, author: Schema.String, byApp: Schema.Boolean }))

const post = (url: string, body: unknown) => fakeJson(url, { method: "POST", body: JSON.stringify(body) })

/** An event on a fresh issue of the newest installed App; GitHub events need the fake's App. */
const simulated = (kind: "mention" | "label", what: string): SandboxEvent["build"] => async ({ fakeUrl }) => {
  if (fakeUrl === undefined) {
    throw new Error("GitHub sample events need the sandbox's fake GitHub (run against `npm run dev`, or pass --sandbox)")
  }
  const state = Schema.decodeUnknownSync(FakeState)(await fakeJson(`${fakeUrl}/_fake/state`))
  const installation = [...state.installations].reverse().find((entry) => entry.active)
  const app = state.apps.find((entry) => entry.id === installation?.appId)
  if (installation === undefined || app === undefined || app.hookUrl === null) {
    throw new Error("No GitHub App is installed in the sandbox yet: in the Console, use your own GitHub app, create it, then install it")
  }
  const repo = `${installation.account}/sandbox`
  const sample = SAMPLE_ISSUES[state.issues % SAMPLE_ISSUES.length]!
  const issue = Schema.decodeUnknownSync(Seeded)(await post(`${fakeUrl}/_fake/issues`, { repo, ...sample }))
  const delivery = Schema.decodeUnknownSync(Delivery)(
    await post(`${fakeUrl}/_fake/deliveries`, { kind, repo, number: issue.number, appId: app.id, installationId: installation.id })
  )
  const signed = await signGitHubWebhook({ secret: app.webhookSecret, event: delivery.event, payload: delivery.payload, appId: app.id })
  return {
    path: new URL(app.hookUrl).pathname,
    headers: signed.headers,
    body: signed.body,
    deliveryId: signed.deliveryId,
    summary: `${what} on ${repo}#${issue.number} (${issue.title})`,
    subject: { id: `${repo}#${issue.number}`, label: `${repo}#${issue.number}` }
  }
}

const itemOf = (dispatch: SessionDispatch) => {
  const repo = dispatch.context["repo"]
  const number = dispatch.context["number"]
  return typeof repo === "string" && typeof number === "number" ? { repo, number } : undefined
}

const IssueRead = Schema.Struct({ title: Schema.optional(Schema.String), state: Schema.optional(Schema.String) })

const demo: DemoPlan = {
  read: (dispatch) => {
    const item = itemOf(dispatch)
    return item === undefined ? undefined : { tool: "mcp_github_get_issue", arguments: item }
  },
  write: (dispatch, read) => {
    const item = itemOf(dispatch)
    if (item === undefined) return undefined
    const issue = Schema.decodeUnknownOption(IssueRead)(read)
    const title = issue._tag === "Some" && issue.value.title !== undefined ? ` "${issue.value.title}"` : ""
    return {
      tool: "mcp_github_create_comment",
      arguments: {
        ...item,
        body: `Hi! I am ${dispatch.agentId}, the Switchboard demo agent. I read #${item.number}${title} through get_issue ` +
          `and I am on it. (session ${dispatch.sessionId}, ${dispatch.mode})`
      }
    }
  }
}

export const githubSandbox: SandboxAdapter = {
  providerId: "github",
  displayName: "GitHub",
  // Each tenant's App is made in the fake from the Console: nothing for the deployment.
  generateSecrets: () => ({}),
  env: (fakeUrl) => ({ GITHUB_API_URL: fakeUrl, GITHUB_WEB_URL: fakeUrl }),
  webhookSecretEnv: "GITHUB_WEBHOOK_SECRET",
  makeFake: () => {
    const fake = makeFakeGitHub()
    const controls = sandboxControls(fake.control)
    return {
      handler: (request) => {
        const path = new URL(request.url).pathname.replace(/\/+$/, "")
        return path.startsWith("/_fake/") ? controls(request, path) : fake.handler(request)
      },
      snapshot: () => snapshotOf(fake.control.state, NOT_PERSISTED),
      restore: async (snapshot) => {
        restoreInto(fake.control.state, snapshot, NOT_PERSISTED)
        for (const [id, app] of fake.control.state.apps) {
          const publicKey = await publicKeyOf(app.pem)
          if (publicKey !== undefined) fake.control.state.apps.set(id, { ...app, publicKey })
        }
      }
    }
  },
  events: [
    { name: "mention", description: "Someone @mentions the App's bot in a comment on a new issue (issue_comment)", build: simulated("mention", "issue_comment mentioning the bot") },
    { name: "label", description: `Someone labels a new issue "${TRIGGER_LABEL}" (issues labeled)`, build: simulated("label", `issue labelled ${TRIGGER_LABEL}`) }
  ],
  activity: async (fakeUrl, subject) => {
    const [repo = "", number = ""] = subject.split("#")
    const query = new URLSearchParams({ repo, number })
    const comments = Schema.decodeUnknownSync(Comments)(await fakeJson(`${fakeUrl}/_fake/comments?${query}`))
    return comments.map((comment) => ({ author: comment.author, body: comment.body, at: "", byAgent: comment.byApp }))
  },
  demo
}
