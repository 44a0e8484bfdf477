/** Lookups several tools share: a repository's default branch, a branch's head commit. */
import { Effect, Schema } from "effect"
import type { PublicationContext } from "../../../kernel/provider/PublicationContext.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { encodePath } from "./Inputs.ts"
import { RestRepository } from "./Shapes.ts"

const RestRef = Schema.Struct({ ref: Schema.String, object: Schema.Struct({ sha: Schema.String, type: Schema.String }) })

export const defaultBranch = (client: GitHubClient, repoPath: string, repo: string, context: PublicationContext) =>
  client.json({ method: "GET", path: repoPath, what: `read the repository ${repo}` }, RestRepository, context).pipe(
    Effect.map((repository) => repository.default_branch)
  )

/** The commit a branch points at. */
export const branchHead = (client: GitHubClient, repoPath: string, repo: string, branch: string, context: PublicationContext) =>
  client.json(
    { method: "GET", path: `${repoPath}/git/ref/heads/${encodePath(branch)}`, what: `find the branch ${branch} in ${repo}` },
    RestRef,
    context
  ).pipe(Effect.map((ref) => ref.object.sha))
