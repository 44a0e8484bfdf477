/**
 * The GitHub provider's provider-kit options, shared by test/providers/github/kit.test.ts
 * (in-process) and the runtime matrix (test/matrix/kit.ts, which starts the runtime with
 * `githubAppEnv`), with the deployment's shared App: the fake makes
 * the App, the installation is made on GitHub's install page (the installer's OAuth code proves
 * it may claim the installation), deliveries come to `/webhook/github` signed with
 * GITHUB_WEBHOOK_SECRET, an issue opened with a mention of the App is the event that dispatches,
 * and a secondary rate limit is the vendor error.
 *
 * Invalid samples stay with what the JSON Schemas can say: the `repo` pattern (owner/name) has no
 * `u` flag, so Effect leaves it out of the JSON Schema and a malformed repo passes the JSON
 * Schema while the Schema rejects it (the kit reports that mismatch).
 */
import { Schema } from "effect"
import * as GitHubProvider from "../../../../providers/github/GitHubProvider.ts"
import { type FakeGitHub, makeFakeGitHub } from "../../../../sandbox/fakes/github/FakeGitHub.ts"
import * as Payloads from "../../../../sandbox/fakes/github/payloads.ts"
import { hmacSha256Hex } from "../../../../sandbox/kit/Signing.ts"
import type { KitWorld, ProviderKitOptions } from "../../../../sandbox/kit/KitTypes.ts"
import { PUBLIC_URL } from "../../kernel.ts"
import { handOffOf } from "../../../../sandbox/kit/HandOff.ts"

const WEBHOOK_SECRET = "github-kit-webhook-secret"
const REPO = "acme/widgets"

/** The name of the shared App the kit's env creates on the fake. */
export const GITHUB_KIT_APP = "Switchboard Kit"

/** Creates the deployment's shared App on the fake and returns the env that configures it (`publicUrl`: the kernel's). */
export const githubAppEnv = async (url: string, fake: FakeGitHub, publicUrl: string): Promise<Record<string, string>> => {
  const app = await fake.control.createApp({
    name: GITHUB_KIT_APP,
    owner: "switchboard-inc",
    setupUrl: `${publicUrl}/install/github/callback`,
    requestOAuthOnInstall: true
  })
  return {
    GITHUB_API_URL: url,
    GITHUB_WEB_URL: url,
    GITHUB_APP_ID: String(app.id),
    GITHUB_APP_SLUG: app.slug,
    GITHUB_APP_PRIVATE_KEY: app.pem,
    GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET,
    GITHUB_CLIENT_ID: app.clientId,
    GITHUB_CLIENT_SECRET: app.clientSecret
  }
}

const Installations = Schema.Struct({ installations: Schema.Array(Schema.Struct({ externalAccountId: Schema.String })) })

/** GitHub's install page as the admin's browser walks it: approve on `acme`, then the setup callback. */
const install = async (world: KitWorld<FakeGitHub>): Promise<void> => {
  // The fake may hold the repository already (the runtime matrix's own suite seeds it).
  if (!world.fake.control.state.repos.has(REPO)) await world.fake.control.seedRepo(REPO, { files: { "README.md": "# widgets\n" } })
  world.fake.control.setWebUser("acme-admin")
  const handOff = await handOffOf(await world.kernel.request("/install/github", { apiKey: world.apiKey, redirect: "manual" }))
  const page = handOff.consentUrl
  const approve = new URL(`${page.pathname}/approve${page.search}`, page)
  approve.searchParams.set("account", "acme")
  const setup = new URL((await fetch(approve, { redirect: "manual" })).headers.get("location") ?? "")
  const finished = await world.kernel.request(`${setup.pathname}${setup.search}`, { headers: { cookie: handOff.cookie } })
  if (finished.status !== 200) throw new Error(`install callback: ${finished.status} ${await finished.text()}`)
}

export const githubKit: ProviderKitOptions<FakeGitHub> = {
  provider: GitHubProvider.make,
  fake: {
    make: () => makeFakeGitHub(),
    env: (url, fake) => githubAppEnv(url, fake, PUBLIC_URL)
  },
  install,
  publication: { granularity: "issue" },
  webhook: {
    secret: WEBHOOK_SECRET,
    signatureHeader: "x-hub-signature-256",
    // `{}` under X-GitHub-Event: issues is routable; the kernel records it ignored (webhook-verify.test.ts).
    routesByHeaders: true,
    sign: async ({ body, deliveryId, secret }) => ({
      body,
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": deliveryId,
        "x-github-hook-installation-target-type": "integration",
        "x-hub-signature-256": `sha256=${await hmacSha256Hex(secret, body)}`
      }
    }),
    dispatching: async (world) => {
      const { control } = world.fake
      const listed = Schema.decodeUnknownSync(Installations)(await (await world.kernel.request("/v1/installations", { apiKey: world.apiKey })).json())
      const app = control.apps().find((candidate) => candidate.name === GITHUB_KIT_APP)
      if (app === undefined) throw new Error("the fake has no kit App")
      const item = control.seedIssue(REPO, { title: "Kit issue", body: `@${app.slug} please look` })
      const where = { state: control.state, repo: control.repo(REPO), installationId: Number(listed.installations[0]?.externalAccountId), sender: "ada" }
      return JSON.stringify(Payloads.issues(where, "opened", item).payload)
    }
  },
  tools: {
    samples: {
      get_issue: { valid: [{ repo: REPO, number: 1 }], invalid: [{ repo: REPO }, { repo: REPO, number: 0 }, { repo: REPO, number: 1.5 }] },
      get_pull_request: { valid: [{ repo: REPO, number: 2 }], invalid: [{ number: 2 }] },
      list_comments: { valid: [{ repo: REPO, number: 1, perPage: 10, page: 2 }], invalid: [{ repo: REPO, number: 1, perPage: 101 }] },
      create_comment: { valid: [{ repo: REPO, number: 1, body: "On it" }], invalid: [{ repo: REPO, number: 1, body: "" }] },
      update_issue: { valid: [{ repo: REPO, number: 1, state: "closed", stateReason: "completed" }], invalid: [{ repo: REPO, number: 1, state: "merged" }] },
      add_labels: { valid: [{ repo: REPO, number: 1, labels: ["bug"] }], invalid: [{ repo: REPO, number: 1, labels: [] }] },
      remove_label: { valid: [{ repo: REPO, number: 1, label: "bug" }], invalid: [{ repo: REPO, number: 1 }] },
      create_issue: { valid: [{ repo: REPO, title: "New", labels: ["bug"], assignees: ["octocat"] }], invalid: [{ repo: REPO }, { repo: REPO, title: "" }] },
      list_pull_request_files: { valid: [{ repo: REPO, number: 2 }], invalid: [{ repo: REPO, number: -1 }] },
      get_pull_request_diff: { valid: [{ repo: REPO, number: 2 }], invalid: [{ repo: REPO, number: "2" }] },
      get_file_contents: { valid: [{ repo: REPO, path: "README.md", ref: "main" }], invalid: [{ repo: REPO, path: "" }] },
      create_branch: { valid: [{ repo: REPO, branch: "agent/fix" }], invalid: [{ repo: REPO }] },
      create_or_update_file: {
        valid: [{ repo: REPO, branch: "agent/fix", path: "src/a.ts", content: "x", message: "Fix" }],
        invalid: [{ repo: REPO, branch: "agent/fix", path: "src/a.ts", content: "x" }]
      },
      create_pull_request: { valid: [{ repo: REPO, title: "Fix", head: "agent/fix", draft: true }], invalid: [{ repo: REPO, title: "Fix" }] },
      submit_review: {
        valid: [{ repo: REPO, number: 2, event: "COMMENT", body: "Looks good", comments: [{ path: "src/a.ts", line: 1, body: "Nit" }] }],
        invalid: [{ repo: REPO, number: 2, event: "MERGE" }, { repo: REPO, number: 2, event: "COMMENT", comments: [{ path: "src/a.ts", body: "Nit" }] }]
      },
      search_issues: { valid: [{ query: "login bug", repo: REPO, type: "issue", state: "open", perPage: 5 }], invalid: [{}, { query: "" }, { query: "x", type: "discussion" }] }
    },
    vendorError: {
      tool: "get_issue",
      input: () => ({ repo: REPO, number: 1 }),
      arrange: (world) => world.fake.control.forceRateLimit({ kind: "secondary", count: 5, retryAfterSeconds: 30 }),
      restore: (world) => world.fake.control.clearRateLimit(),
      reasons: ["RateLimited"]
    }
  }
}
