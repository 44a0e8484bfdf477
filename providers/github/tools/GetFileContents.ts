/**
 * `get_file_contents`: a file's text at a ref (with its blob `sha`, needed to update it), or a
 * directory's entries. Binary files answer their metadata only; files over `MAX_FILE_CHARS`
 * are cut.
 */
import { Effect, Option, Schema } from "effect"
import { defineTool, type Tool } from "../../../kernel/provider/Tool.ts"
import type { GitHubClient } from "./GitHubClient.ts"
import { nullable } from "../../../kernel/provider/Vendor.ts"
import { base64Decode, utf8Decode } from "../../../kernel/encoding/Encoding.ts"
import { encodePath, FilePath, GitRef, Repo, repoPath } from "./Inputs.ts"

export const MAX_FILE_CHARS = 200_000

export const Input = Schema.Struct({ repo: Repo, path: FilePath, ref: Schema.optionalKey(GitRef) })

const Entry = Schema.Struct({
  type: Schema.String,
  name: Schema.String,
  path: Schema.String,
  sha: Schema.String,
  size: nullable(Schema.Number),
  content: nullable(Schema.String),
  encoding: nullable(Schema.String)
})

type Entry = typeof Entry.Type

const Contents = Schema.Union([Schema.Array(Entry), Entry])

/** A directory answers an array of entries, a file one entry. */
const isDirectory = (contents: ReadonlyArray<Entry> | Entry): contents is ReadonlyArray<Entry> => Array.isArray(contents)

export const make = (client: GitHubClient): Tool =>
  defineTool({
    name: "get_file_contents",
    title: "Read a file from a GitHub repository",
    description: "Reads a file's text at a branch, tag or commit (default: the default branch), with its sha (pass " +
      "it to create_or_update_file to change the file), or lists a directory.",
    input: Input,
    scope: "contents:read",
    annotations: { readOnly: true, destructive: false, idempotent: true },
    execute: Effect.fn("GitHubTools.getFileContents")(function*(input, context) {
      const repo = yield* repoPath(input.repo, context)
      const contents = yield* client.json(
        {
          method: "GET",
          path: `${repo}/contents/${encodePath(input.path)}`,
          query: input.ref === undefined ? undefined : { ref: input.ref },
          what: `read ${input.path} in ${input.repo}${input.ref === undefined ? "" : ` at ${input.ref}`}`
        },
        Contents,
        context
      )
      const base = { repo: input.repo, path: input.path, ref: input.ref ?? null }
      if (isDirectory(contents)) {
        return {
          ...base,
          type: "dir",
          entries: contents.map((entry) => ({ name: entry.name, path: entry.path, type: entry.type, size: entry.size ?? null }))
        }
      }
      const file = contents
      // GitHub wraps the base64 in lines; a file that is not UTF-8 text is binary.
      const bytes = file.encoding === "base64" ? base64Decode((file.content ?? "").replace(/\s+/g, "")) : undefined
      const text = Option.fromNullishOr(bytes === undefined ? undefined : utf8Decode(bytes))
      return {
        ...base,
        type: file.type,
        sha: file.sha,
        size: file.size ?? null,
        binary: Option.isNone(text),
        content: Option.match(text, { onNone: () => null, onSome: (value) => value.slice(0, MAX_FILE_CHARS) }),
        truncated: Option.exists(text, (value) => value.length > MAX_FILE_CHARS)
      }
    })
  })
