/**
 * The fake's repository contents: the repository itself (its default branch), branch refs,
 * files at a branch or commit (base64, with git blob SHAs), and commits of one file to a branch
 * (`PUT /contents/{path}`), which, like GitHub, refuse to replace a file without its current sha.
 */
import { type Granted, repoFor } from "./FakeGitHubAccess.ts"
import type { Caller } from "./FakeGitHubAuth.ts"
import { failure, json, notFound, readJson, stringField, validationFailed } from "./FakeGitHubHttp.ts"
import type { RepoParams } from "./FakeGitHubIssues.ts"
import { blobSha, commitSha, type FakeCommit, type FakeGitHubState, type FakeRepo, fullName } from "./FakeGitHubState.ts"
import { repoView } from "./FakeGitHubViews.ts"

const toBase64 = (text: string) => {
  let binary = ""
  for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte)
  return (btoa(binary).match(/.{1,60}/g) ?? []).join("\n")
}

const fromBase64 = (base64: string): string | undefined => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(atob(base64), (character) => character.charCodeAt(0)))
  } catch {
    return undefined
  }
}

const commitAt = (repo: FakeRepo, ref: string): FakeCommit | undefined =>
  repo.commits.get(repo.branches.get(ref) ?? ref)

export const getRepo = async (state: FakeGitHubState, caller: Caller, _request: Request, params: RepoParams) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["metadata", "read"])
  return granted instanceof Response ? granted : json(200, repoView(granted.repo))
}

export const getRef = async (state: FakeGitHubState, caller: Caller, _request: Request, params: RepoParams & { readonly branch: string }) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["contents", "read"])
  if (granted instanceof Response) return granted
  const sha = granted.repo.branches.get(params.branch)
  return sha === undefined ? notFound() : json(200, {
    ref: `refs/heads/${params.branch}`,
    node_id: `REF_${sha}`,
    object: { sha, type: "commit", url: `https://api.github.com/repos/${fullName(granted.repo)}/git/commits/${sha}` }
  })
}

export const createRef = async (state: FakeGitHubState, caller: Caller, request: Request, params: RepoParams) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["contents", "write"])
  if (granted instanceof Response) return granted
  const body = await readJson(request)
  const ref = stringField(body, "ref") ?? ""
  const sha = stringField(body, "sha") ?? ""
  if (!ref.startsWith("refs/heads/")) return validationFailed([{ resource: "Reference", field: "ref", code: "invalid" }])
  if (!granted.repo.commits.has(sha)) return failure(422, "Object does not exist")
  const branch = ref.slice("refs/heads/".length)
  if (granted.repo.branches.has(branch)) return failure(422, "Reference already exists")
  granted.repo.branches.set(branch, sha)
  return json(201, { ref, node_id: `REF_${sha}`, object: { sha, type: "commit" } })
}

export const getContents = async (state: FakeGitHubState, caller: Caller, request: Request, params: RepoParams & { readonly path: string }) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["contents", "read"])
  if (granted instanceof Response) return granted
  const ref = new URL(request.url).searchParams.get("ref") ?? granted.repo.defaultBranch
  const commit = commitAt(granted.repo, ref)
  if (commit === undefined) return failure(404, `No commit found for the ref ${ref}`)
  const file = commit.tree.get(params.path)
  if (file !== undefined) {
    return json(200, {
      type: "file",
      encoding: "base64",
      size: new TextEncoder().encode(file.content).length,
      name: params.path.split("/").at(-1) ?? params.path,
      path: params.path,
      content: toBase64(file.content),
      sha: file.sha,
      url: `https://api.github.com/repos/${fullName(granted.repo)}/contents/${params.path}?ref=${ref}`
    })
  }
  const prefix = `${params.path.replace(/\/$/, "")}/`
  const entries = [...commit.tree.entries()].filter(([path]) => path.startsWith(prefix))
  if (entries.length === 0) return notFound()
  const names = new Map<string, { type: string; sha: string; size: number }>()
  for (const [path, entry] of entries) {
    const rest = path.slice(prefix.length)
    const [first = rest] = rest.split("/")
    names.set(first, rest.includes("/") ? { type: "dir", sha: "0".repeat(40), size: 0 } : { type: "file", sha: entry.sha, size: entry.content.length })
  }
  return json(200, [...names.entries()].map(([name, entry]) => ({ name, path: `${prefix}${name}`, ...entry })))
}

const commitFile = async (granted: Granted, branch: string, path: string, content: string, message: string) => {
  const parent = granted.repo.branches.get(branch) ?? null
  const tree = new Map(parent === null ? [] : granted.repo.commits.get(parent)?.tree ?? [])
  const file = { content, sha: await blobSha(content) }
  tree.set(path, file)
  const commit: FakeCommit = { sha: commitSha(), message, parent, tree }
  granted.repo.commits.set(commit.sha, commit)
  granted.repo.branches.set(branch, commit.sha)
  return { file, commit }
}

export const putContents = async (state: FakeGitHubState, caller: Caller, request: Request, params: RepoParams & { readonly path: string }) => {
  const granted = repoFor(state, caller, params.owner, params.name, ["contents", "write"])
  if (granted instanceof Response) return granted
  const body = await readJson(request)
  const message = stringField(body, "message")
  const encoded = stringField(body, "content")
  const branch = stringField(body, "branch") ?? granted.repo.defaultBranch
  if (message === undefined) return validationFailed([{ resource: "Commit", field: "message", code: "missing_field" }])
  const content = encoded === undefined ? undefined : fromBase64(encoded)
  if (content === undefined) return validationFailed([{ resource: "Content", field: "content", code: "invalid" }])
  const head = commitAt(granted.repo, branch)
  if (head === undefined) return failure(404, `Branch ${branch} not found`)
  const existing = head.tree.get(params.path)
  const sha = stringField(body, "sha")
  if (existing !== undefined && sha === undefined) return failure(422, "Invalid request.\n\n\"sha\" wasn't supplied.")
  if (existing !== undefined && sha !== existing.sha) return failure(409, `${params.path} does not match ${sha}`)
  const written = await commitFile(granted, branch, params.path, content, message)
  return json(existing === undefined ? 201 : 200, {
    content: { name: params.path.split("/").at(-1), path: params.path, sha: written.file.sha, html_url: `https://github.com/${fullName(granted.repo)}/blob/${branch}/${params.path}` },
    commit: { sha: written.commit.sha, message, html_url: `https://github.com/${fullName(granted.repo)}/commit/${written.commit.sha}` }
  })
}
