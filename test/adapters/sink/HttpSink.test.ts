import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { FetchHttpClient } from "effect/http"
import { afterAll, beforeAll } from "vitest"
import * as HttpSink from "../../../adapters/sink/HttpSink.ts"
import { verifySessionSignature } from "../../../adapters/sink/SessionSignature.ts"
import { SessionSink } from "../../../kernel/dispatch/SessionSink.ts"
import { startSessionReceiver } from "../../matrix/SessionReceiver.ts"
import type { SessionReceiver } from "../../matrix/SessionReceiver.ts"
import { delivery, signingKey } from "./fixtures.ts"

let receiver: SessionReceiver
const answers: Record<string, number | "hang"> = {
  "/bad": 400,
  "/gone": 410,
  "/timeout": 408,
  "/busy": 429,
  "/broken": 500,
  "/slow": "hang"
}

beforeAll(async () => {
  receiver = await startSessionReceiver({ secret: signingKey, answer: (path) => answers[path] ?? 200 })
})
afterAll(() => receiver.close())

const deliverTo = (path: string, options: { readonly key?: string; readonly timeout?: number } = {}) =>
  Effect.gen(function*() {
    const sink = yield* SessionSink
    return yield* sink.deliver(delivery({ id: `dsp${path.replaceAll("/", "_")}` }))
  }).pipe(
    Effect.provide(
      HttpSink.layer({
        url: receiver.url.replace("/sessions", path),
        signingKey: Redacted.make(options.key ?? signingKey),
        timeout: options.timeout ?? 2_000
      }).pipe(Layer.provide(FetchHttpClient.layer))
    )
  )

describe("HttpSink", () => {
  it.live("POSTs the signed delivery JSON with an idempotency key", () =>
    Effect.gen(function*() {
      yield* deliverTo("/sessions")
      const received = receiver.deliveries.find((entry) => entry.path === "/sessions")
      assert.isDefined(received)
      if (received === undefined) return
      assert.strictEqual(received.headers["content-type"], "application/json")
      assert.strictEqual(received.headers["idempotency-key"], "dsp_sessions")
      assert.deepStrictEqual(received.delivery, delivery({ id: "dsp_sessions" }))
      yield* verifySessionSignature(signingKey, received.headers["switchboard-signature"], received.body, Date.now())
    }))

  it.live("a receiver with another key answers 401: rejected for good", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(deliverTo("/sessions", { key: "another-key" }))
      assert.strictEqual(error.reason, "Rejected")
      assert.isFalse(error.retryable)
      assert.include(error.message, "401")
    }))

  it.live("maps 4xx to not retryable except 408 and 429; 5xx retryable", () =>
    Effect.gen(function*() {
      const cases: ReadonlyArray<readonly [string, boolean]> = [
        ["/bad", false],
        ["/gone", false],
        ["/timeout", true],
        ["/busy", true],
        ["/broken", true]
      ]
      for (const [path, retryable] of cases) {
        const error = yield* Effect.flip(deliverTo(path))
        assert.strictEqual(error._tag, "SinkError")
        assert.strictEqual(error.reason, "Rejected", path)
        assert.strictEqual(error.retryable, retryable, path)
      }
    }))

  it.live("a receiver that never answers times out", () =>
    Effect.gen(function*() {
      const started = Date.now()
      const error = yield* Effect.flip(deliverTo("/slow", { timeout: 300 }))
      assert.strictEqual(error.reason, "Timeout")
      assert.isTrue(error.retryable)
      assert.isBelow(Date.now() - started, 2_000)
    }))

  it.live("a closed port is unreachable and retryable", () =>
    Effect.gen(function*() {
      const sink = yield* SessionSink
      const error = yield* Effect.flip(sink.deliver(delivery()))
      assert.strictEqual(error.reason, "Unreachable")
      assert.isTrue(error.retryable)
      assert.notInclude(error.message, "secret-mcp-token")
    }).pipe(
      Effect.provide(
        HttpSink.layer({ url: "http://127.0.0.1:9/sessions", signingKey: Redacted.make(signingKey), timeout: 2_000 })
          .pipe(Layer.provide(FetchHttpClient.layer))
      )
    ))
})
