/**
 * How the suite talks to the runtime under test: every request, the MCP SDK's included, goes
 * through one recording `fetch`, so the last case can audit every answer (no 5xx, no stack
 * trace). Answers are read whole; JSON bodies are decoded with Schema, not cast.
 */
import { Schema } from "effect"
import { assert } from "vitest"

export interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

export interface RecordedAnswer {
  readonly request: string
  readonly status: number
  readonly text: string
}

export interface RequestOptions extends RequestInit {
  readonly bearer?: string
  /** Sent as the JSON body, with its content type. */
  readonly json?: unknown
}

export interface RuntimeClient {
  /** A `fetch` that records the answer; hand it to other clients (the MCP transport). */
  readonly fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>
  /** A request to `<baseUrl><path>`; redirects are not followed. */
  readonly http: (path: string, options?: RequestOptions) => Promise<Answer>
  /** Every answer so far, once all bodies were read. */
  readonly answers: () => Promise<ReadonlyArray<RecordedAnswer>>
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

export const makeRuntimeClient = (baseUrl: () => string): RuntimeClient => {
  const recorded: Array<RecordedAnswer> = []
  const pending: Array<Promise<void>> = []

  const recordingFetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, init)
    const request = `${init?.method ?? "GET"} ${input instanceof Request ? input.url : String(input)}`
    pending.push(
      Promise.race([response.clone().text(), sleep(5_000).then(() => "(body not read within 5 s)")]).then(
        (text) => {
          recorded.push({ request, status: response.status, text })
        },
        () => {
          recorded.push({ request, status: response.status, text: "" })
        }
      )
    )
    return response
  }

  const http = async (path: string, options: RequestOptions = {}): Promise<Answer> => {
    const { bearer, json, ...init } = options
    const headers = new Headers(init.headers)
    if (bearer !== undefined) headers.set("authorization", `Bearer ${bearer}`)
    let body = init.body
    if (json !== undefined) {
      headers.set("content-type", "application/json")
      body = JSON.stringify(json)
    }
    const response = await recordingFetch(`${baseUrl()}${path}`, {
      ...init,
      headers,
      body: body ?? null,
      redirect: "manual"
    })
    return { status: response.status, headers: response.headers, text: await response.text() }
  }

  return {
    fetch: recordingFetch,
    http,
    answers: async () => {
      await Promise.all(pending)
      return recorded.slice()
    }
  }
}

export const decode = <S extends Schema.Codec<unknown, unknown>>(schema: S, answer: Answer): S["Type"] =>
  Schema.decodeUnknownSync(Schema.fromJsonString(schema))(answer.text)

const ErrorBody = Schema.Struct({ error: Schema.Struct({ reason: Schema.String, message: Schema.String }) })

/** The status, and the kernel's JSON error shape with the given reason. */
export const expectError = (answer: Answer, status: number, reason?: string): void => {
  assert.strictEqual(answer.status, status, answer.text)
  const error = decode(ErrorBody, answer)
  if (reason !== undefined) assert.strictEqual(error.error.reason, reason, answer.text)
}

/** "at fn (file.ts:1:2)", "at file.js:1:2", "at async ..." as V8, Bun and Deno print them. */
export const stackTrace = /\bat\s+(?:async\s+)?(?:\S+\s+\()?(?:file:\/\/|\/|[A-Za-z]:\\|node:|ext:)[^\s)]*:\d+:\d+/
