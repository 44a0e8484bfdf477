/**
 * One call to a running Switchboard's API with a bearer (the admin token or a tenant key): the
 * answer's text on success; otherwise a `CliFailure` with the status and Switchboard's message.
 */
import { Schema } from "effect"
import { CliFailure, type Io, step } from "./Io.ts"

const ErrorBody = Schema.Struct({ error: Schema.Struct({ reason: Schema.String, message: Schema.String }) })

export interface Call {
  readonly method: "GET" | "POST" | "PATCH" | "DELETE"
  readonly path: `/${string}`
  readonly bearer: string
  readonly body?: unknown
}

export const callSwitchboard = async (io: Io, url: string, call: Call): Promise<string> => {
  step(io, `${call.method} ${url}${call.path}`)
  const response = await io.fetch(`${url}${call.path}`, {
    method: call.method,
    headers: {
      authorization: `Bearer ${call.bearer}`,
      ...(call.body === undefined ? {} : { "content-type": "application/json" })
    },
    ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) })
  }).catch((cause: unknown) => {
    throw new CliFailure(`Cannot reach Switchboard at ${url} (${cause instanceof Error ? cause.message : String(cause)}). Is it running?`)
  })
  const body = await response.text()
  if (!response.ok) {
    const error = Schema.decodeUnknownOption(Schema.fromJsonString(ErrorBody))(body)
    throw new CliFailure(`Switchboard answered ${response.status}: ${error._tag === "Some" ? error.value.error.message : body.slice(0, 200)}`)
  }
  return body
}
