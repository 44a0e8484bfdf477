/**
 * What an installation may touch in the fake, the way GitHub decides it: repositories of the
 * account it is installed on (anything else is 404, as GitHub hides what a token cannot see),
 * and only with the App permission the endpoint needs (else 403 "Resource not accessible by
 * integration" with `x-accepted-github-permissions`).
 */
import type { Caller } from "./FakeGitHubAuth.ts"
import { failure, notFound } from "./FakeGitHubHttp.ts"
import { type FakeApp, type FakeGitHubState, type FakeInstallation, type FakeRepo, findRepo } from "./FakeGitHubState.ts"

export interface Granted {
  readonly repo: FakeRepo
  readonly app: FakeApp
  readonly installation: FakeInstallation
}

const satisfies = (granted: string | undefined, wanted: "read" | "write") =>
  granted === "write" || (wanted === "read" && granted === "read")

export const permitted = (installation: FakeInstallation, permission: string, access: "read" | "write"): Response | undefined =>
  satisfies(installation.permissions[permission], access)
    ? undefined
    : failure(403, "Resource not accessible by integration", { "x-accepted-github-permissions": `${permission}=${access}` })

export const repoFor = (
  state: FakeGitHubState,
  caller: Caller,
  owner: string,
  name: string,
  permission: readonly [string, "read" | "write"]
): Granted | Response => {
  if (caller._tag !== "Installation") return failure(401, "Bad credentials")
  const repo = findRepo(state, owner, name)
  if (repo === undefined || repo.owner.login.toLowerCase() !== caller.installation.account.login.toLowerCase()) return notFound()
  const refused = permitted(caller.installation, permission[0], permission[1])
  return refused ?? { repo, app: caller.app, installation: caller.installation }
}
