/**
 * A small GraphQL client for Linear over the Effect `HttpClient`: one POST to `<api>/graphql`
 * per operation, bearer token per call (each tool call acts for its own installation), the
 * answer decoded with the operation's Schema, and every failure a `ToolError` (see
 * `LinearErrors.ts`). It does not retry: mutations such as `commentCreate` are not idempotent,
 * and a rate-limited caller gets `retryAfterSeconds` to decide for itself.
 */
import { Clock, Duration, Effect, Redacted, Schema } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { ToolError } from "../../kernel/domain/Errors.ts"
import * as LinearErrors from "./LinearErrors.ts"

/** A named GraphQL document and the Schema of its `data`. */
export interface Operation<A> {
  readonly name: string
  readonly document: string
  readonly data: Schema.Codec<A, unknown>
}

export const operation = <A>(name: string, document: string, data: Schema.Codec<A, unknown>): Operation<A> => ({
  name,
  document,
  data
})

export type Variables = Readonly<Record<string, Schema.Json>>

export interface LinearClient {
  readonly execute: <A>(
    operation: Operation<A>,
    variables: Variables,
    accessToken: Redacted.Redacted<string>
  ) => Effect.Effect<A, ToolError, HttpClient.HttpClient>
}

/** Long enough for Linear's slowest queries, short enough that an agent is not left hanging. */
export const REQUEST_TIMEOUT = Duration.seconds(30)

const decodeEnvelope = Schema.decodeUnknownEffect(Schema.fromJsonString(LinearErrors.GraphQLResponse))

const vendorError = (message: string) => new ToolError({ reason: "VendorError", message })

export const make = (apiUrl: string): LinearClient => {
  const endpoint = `${apiUrl}/graphql`
  const execute = Effect.fn("LinearClient.execute")(function*<A>(
    operation: Operation<A>,
    variables: Variables,
    accessToken: Redacted.Redacted<string>
  ) {
    yield* Effect.annotateCurrentSpan({ "linear.operation": operation.name })
    const request = HttpClientRequest.post(endpoint).pipe(
      HttpClientRequest.bearerToken(accessToken),
      HttpClientRequest.acceptJson,
      HttpClientRequest.bodyJsonUnsafe({ query: operation.document, variables, operationName: operation.name })
    )
    const response = yield* HttpClient.execute(request).pipe(
      Effect.timeoutOrElse({
        duration: REQUEST_TIMEOUT,
        orElse: () => Effect.fail(vendorError(`Linear did not answer ${operation.name} within 30s`))
      }),
      Effect.catchTag("HttpClientError", (error) =>
        Effect.fail(vendorError(`Could not reach Linear at ${endpoint}: ${error.message}`)))
    )
    const text = yield* response.text.pipe(
      Effect.mapError((error) => vendorError(`Could not read Linear's answer to ${operation.name}: ${error.message}`))
    )
    const envelope = yield* decodeEnvelope(text).pipe(
      Effect.mapError(() =>
        response.status >= 500
          ? vendorError(`Linear failed (HTTP ${response.status}); try again later`)
          : vendorError(`Linear answered ${operation.name} with HTTP ${response.status} and a body that is not GraphQL`)
      )
    )
    const errors = envelope.errors ?? []
    if (errors.length > 0 || response.status < 200 || response.status >= 300) {
      const now = yield* Clock.currentTimeMillis
      return yield* LinearErrors.toToolError({ status: response.status, headers: response.headers, errors, now })
    }
    return yield* Schema.decodeUnknownEffect(operation.data)(envelope.data).pipe(
      Effect.mapError((error) => vendorError(`Linear's answer to ${operation.name} has an unexpected shape: ${error.message}`))
    )
  })
  return { execute }
}
