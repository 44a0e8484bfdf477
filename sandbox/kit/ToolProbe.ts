/**
 * Does a tool's JSON Schema say what its Effect Schema does? The tool's Schema is not exposed by
 * the contract (only `run`, which decodes and then executes), so the probe runs the tool with an
 * HTTP client that refuses every request and watches what happens:
 *
 * - the Schema rejected the input: `run` fails with `InvalidInput` before any request;
 * - the Schema accepted it: the executor went on, reached the (refusing) network or failed for
 *   another reason of its own.
 *
 * Nothing leaves the process: the probe needs no vendor, no fake and no token.
 */
import { Cause, Effect, Exit, Layer, Option, Redacted } from "effect"
import { HttpClient, HttpClientError } from "effect/http"
import { InstallationId, ProviderId, PublicationId, TenantId } from "../../kernel/domain/Ids.ts"
import type { PublicationContext } from "../../kernel/provider/PublicationContext.ts"
import type { Tool } from "../../kernel/provider/Tool.ts"

export interface ProbeContext {
  /** Installation metadata the executors read (the vendor's account id, a site URL ...). */
  readonly metadata?: Readonly<Record<string, string>> | undefined
  /** Secret extras of the token set (a pasted e-mail address ...). */
  readonly extra?: Readonly<Record<string, string>> | undefined
}

export type ProbeVerdict =
  | { readonly _tag: "Rejected"; readonly message: string }
  | { readonly _tag: "Accepted"; readonly requests: number }
  /** The executor died (a defect): a tool must answer with a ToolError instead. */
  | { readonly _tag: "Died"; readonly message: string }

const contextFor = (providerId: string, probe: ProbeContext): PublicationContext => ({
  installation: {
    id: InstallationId.make("ins_kit_probe"),
    tenantId: TenantId.make("ten_kit_probe"),
    providerId: ProviderId.make(providerId),
    externalAccountId: "kit-probe-account",
    displayName: "Kit probe",
    status: "active",
    grantedScopes: [],
    registrationId: null,
    metadata: probe.metadata ?? {},
    createdAt: 0,
    updatedAt: 0
  },
  publication: {
    id: PublicationId.make("pub_kit_probe"),
    tenantId: TenantId.make("ten_kit_probe"),
    installationId: InstallationId.make("ins_kit_probe"),
    agentId: "kit-probe-agent",
    scopes: [],
    granularity: "workspace",
    filters: {},
    status: "active",
    createdAt: 0,
    updatedAt: 0
  },
  sessionKey: "kit:probe",
  accessToken: Redacted.make("kit-probe-token"),
  tokens: {
    accessToken: Redacted.make("kit-probe-token"),
    refreshToken: Option.none(),
    expiresAt: Option.none(),
    scopes: [],
    extra: Object.fromEntries(Object.entries(probe.extra ?? {}).map(([key, value]) => [key, Redacted.make(value)]))
  }
})

/** Runs `tool` on `input` with the network refused; says whether its Schema let the input through. */
export const probeTool = (
  providerId: string,
  tool: Tool,
  input: unknown,
  probe: ProbeContext = {}
): Promise<ProbeVerdict> => {
  let requests = 0
  const refusing = HttpClient.make((request) => {
    requests++
    return Effect.fail(
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.TransportError({ request, description: "the provider kit's schema probe makes no requests" })
      })
    )
  })
  return Effect.runPromise(
    Effect.exit(tool.run(input, contextFor(providerId, probe))).pipe(Effect.provide(Layer.succeed(HttpClient.HttpClient, refusing)))
  ).then((exit): ProbeVerdict => {
    if (Exit.isSuccess(exit)) return { _tag: "Accepted", requests }
    const failure = Exit.findErrorOption(exit)
    if (Option.isNone(failure)) return { _tag: "Died", message: Cause.pretty(exit.cause) }
    return Option.isSome(failure) && failure.value.reason === "InvalidInput" && requests === 0
      ? { _tag: "Rejected", message: failure.value.message }
      : { _tag: "Accepted", requests }
  })
}
