/**
 * Development SessionSink that behaves like a small agent: on each dispatch it connects the
 * official MCP client to `mcp.url` with the dispatch's bearer token, calls one read tool and
 * then one write tool of the dispatch's provider (Linear: `get_issue`, then `create_comment` on
 * the dispatch's issue), and logs what it did. The tools and their arguments come from a
 * per-provider plan handed in by the dev command (the sandbox table); a provider without a plan
 * is only logged, like `LogSink` does.
 *
 * Every MCP request carries the dispatch's correlation id (the vendor's delivery id) in
 * `switchboard-correlation-id`, so the kernel's tool-call log lines share it with the webhook
 * that caused them. A tool error fails the delivery with the tool's message (not retried: the
 * Console shows it, and "replay" tries again); an unreachable endpoint is retried by the outbox.
 * A `stop` dispatch does nothing. Not supported: multi-turn work, sampling, elicitation.
 */
import { Client } from "@modelcontextprotocol/sdk/client/index.js"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js"
import { Duration, Effect, Layer, Schema } from "effect"
import { SessionSink } from "../../kernel/dispatch/SessionSink.ts"
import { SinkError } from "../../kernel/domain/Errors.ts"
import type { SessionDelivery, SessionDispatch } from "../../kernel/domain/SessionDispatch.ts"
import { correlationHeader } from "../../kernel/mcp/Mcp.ts"

/** One tool call: the MCP tool name (`mcp_linear_get_issue`) and its arguments. */
export interface DemoAgentStep {
  readonly tool: string
  readonly arguments: Readonly<Record<string, unknown>>
}

/** What the demo agent does with a provider's dispatch: read something, then answer. */
export interface DemoAgentPlan {
  readonly read: (dispatch: SessionDispatch) => DemoAgentStep | undefined
  /** `read` is the read tool's structured result, or its text when it had none. */
  readonly write: (dispatch: SessionDispatch, read: unknown) => DemoAgentStep | undefined
}

export interface DemoAgentOptions {
  /** By provider id. */
  readonly plans: Readonly<Record<string, DemoAgentPlan>>
  /** How the agent reaches `mcp.url` (default: the global fetch). */
  readonly fetch?: ((input: string | URL, init?: RequestInit) => Promise<Response>) | undefined
  /** For the whole session: connect, both calls, close. Default 20 seconds. */
  readonly timeout?: Duration.Input | undefined
}

const ToolResult = Schema.Struct({
  isError: Schema.optional(Schema.Boolean),
  content: Schema.optional(Schema.Array(Schema.Struct({ type: Schema.String, text: Schema.optional(Schema.String) }))),
  structuredContent: Schema.optional(Schema.Unknown)
})
const decodeToolResult = Schema.decodeUnknownEffect(ToolResult)

const rejected = (message: string) => new SinkError({ reason: "Rejected", message, retryable: false })
const unreachable = (what: string, cause: unknown) =>
  new SinkError({
    reason: "Unreachable",
    message: `the demo agent could not ${what}: ${cause instanceof Error ? cause.message : String(cause)}`,
    retryable: true
  })

const textOf = (result: typeof ToolResult.Type): string =>
  (result.content ?? []).flatMap((part) => part.text === undefined ? [] : [part.text]).join("\n")

const callTool = (client: Client, step: DemoAgentStep) =>
  Effect.gen(function*() {
    const raw = yield* Effect.tryPromise({
      try: () => client.callTool({ name: step.tool, arguments: { ...step.arguments } }),
      catch: (cause) => unreachable(`call ${step.tool}`, cause)
    })
    const result = yield* decodeToolResult(raw).pipe(
      Effect.mapError(() => rejected(`${step.tool} answered something that is not an MCP tool result`))
    )
    if (result.isError === true) return yield* rejected(`the demo agent's ${step.tool} call failed: ${textOf(result)}`)
    yield* Effect.logInfo("demo agent called a tool").pipe(Effect.annotateLogs({ tool: step.tool }))
    return result.structuredContent ?? textOf(result)
  }).pipe(Effect.withSpan("DemoAgentSink.callTool", { attributes: { tool: step.tool } }))

const connect = (delivery: SessionDelivery, options: DemoAgentOptions) =>
  Effect.acquireRelease(
    Effect.tryPromise({
      try: async () => {
        const client = new Client({ name: "switchboard-demo-agent", version: "1.0.0" })
        const transport = new StreamableHTTPClientTransport(new URL(delivery.mcp.url), {
          requestInit: {
            headers: {
              authorization: `Bearer ${delivery.mcp.token}`,
              [correlationHeader]: delivery.dispatch.deliveryId
            }
          },
          ...(options.fetch === undefined ? {} : { fetch: options.fetch })
        })
        await client.connect(transport)
        return client
      },
      catch: (cause) => unreachable(`connect to ${delivery.mcp.url}`, cause)
    }),
    (client) => Effect.promise(() => client.close().catch(() => undefined))
  )

export const make = (options: DemoAgentOptions): SessionSink["Service"] => {
  const timeout = options.timeout ?? Duration.seconds(20)

  const work = (delivery: SessionDelivery, plan: DemoAgentPlan) =>
    Effect.scoped(Effect.gen(function*() {
      const dispatch = delivery.dispatch
      const read = plan.read(dispatch)
      if (read === undefined) return yield* Effect.logInfo("demo agent: nothing to read in this dispatch")
      const client = yield* connect(delivery, options)
      const readResult = yield* callTool(client, read)
      const write = plan.write(dispatch, readResult)
      if (write === undefined) return yield* Effect.logInfo("demo agent: nothing to answer")
      yield* callTool(client, write)
      yield* Effect.logInfo("demo agent answered", `${read.tool} then ${write.tool}`)
    })).pipe(
      Effect.timeoutOrElse({
        duration: timeout,
        orElse: () =>
          Effect.fail(
            new SinkError({
              reason: "Timeout",
              message: `the demo agent did not finish within ${Duration.format(Duration.fromInputUnsafe(timeout))}`,
              retryable: true
            })
          )
      })
    )

  const deliver = (delivery: SessionDelivery) => {
    const dispatch = delivery.dispatch
    const plan = options.plans[dispatch.providerId]
    const run = dispatch.stop
      ? Effect.logInfo("demo agent: stop requested, nothing to do")
      : plan === undefined
      ? Effect.logInfo("demo agent: no demo plan for this provider; dispatch only logged", dispatch.prompt)
      : work(delivery, plan)
    return run.pipe(
      Effect.annotateLogs({
        sink: "demo-agent",
        agentId: dispatch.agentId,
        dispatchId: dispatch.id,
        mode: dispatch.mode,
        sessionKey: dispatch.sessionKey
      }),
      Effect.withSpan("DemoAgentSink.deliver", { attributes: { dispatchId: dispatch.id, correlationId: dispatch.deliveryId } })
    )
  }

  return SessionSink.of({ deliver })
}

export const layer = (options: DemoAgentOptions): Layer.Layer<SessionSink> => Layer.succeed(SessionSink, make(options))
