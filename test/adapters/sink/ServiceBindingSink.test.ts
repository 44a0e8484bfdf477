import { assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import * as ServiceBindingSink from "../../../adapters/sink/ServiceBindingSink.ts"
import { verifySessionSignature } from "../../../adapters/sink/SessionSignature.ts"
import { delivery, signingKey } from "./fixtures.ts"

const bindingAnswering = (status: number | "hang") => {
  const seen: Array<Request> = []
  const binding: ServiceBindingSink.ServiceBinding = {
    fetch: (request) => {
      seen.push(request)
      if (status === "hang") {
        return new Promise((_, reject) =>
          request.signal.addEventListener("abort", () => reject(new Error("aborted")), { once: true })
        )
      }
      return Promise.resolve(new Response(status < 300 ? "{}" : "nope", { status }))
    }
  }
  return { binding, seen }
}

const sinkFor = (binding: ServiceBindingSink.ServiceBinding, timeout = 2_000) =>
  ServiceBindingSink.make({ binding, signingKey: Redacted.make(signingKey), timeout })

describe("ServiceBindingSink", () => {
  it.live("sends the same signed request through the binding", () =>
    Effect.gen(function*() {
      const { binding, seen } = bindingAnswering(202)
      yield* sinkFor(binding).deliver(delivery())
      const request = seen[0]
      assert.isDefined(request)
      if (request === undefined) return
      assert.strictEqual(request.method, "POST")
      assert.strictEqual(request.url, ServiceBindingSink.defaultUrl)
      assert.strictEqual(request.headers.get("idempotency-key"), "dsp_1")
      assert.strictEqual(request.headers.get("content-type"), "application/json")
      const body = yield* Effect.promise(() => request.text())
      assert.deepStrictEqual(JSON.parse(body), delivery())
      yield* verifySessionSignature(signingKey, request.headers.get("switchboard-signature"), body, Date.now())
    }))

  it.live("maps answers, thrown errors and silence to SinkError", () =>
    Effect.gen(function*() {
      const rejected = yield* Effect.flip(sinkFor(bindingAnswering(403).binding).deliver(delivery()))
      assert.deepInclude(rejected, { reason: "Rejected", retryable: false })
      const busy = yield* Effect.flip(sinkFor(bindingAnswering(503).binding).deliver(delivery()))
      assert.deepInclude(busy, { reason: "Rejected", retryable: true })
      const throwing = yield* Effect.flip(
        sinkFor({ fetch: () => Promise.reject(new Error("no such service")) }).deliver(delivery())
      )
      assert.deepInclude(throwing, { reason: "Unreachable", retryable: true })
      const hanging = bindingAnswering("hang")
      const timedOut = yield* Effect.flip(sinkFor(hanging.binding, 100).deliver(delivery()))
      assert.deepInclude(timedOut, { reason: "Timeout", retryable: true })
      assert.isTrue(hanging.seen[0]?.signal.aborted)
    }))

  it("recognises a binding by its fetch", () => {
    assert.isTrue(ServiceBindingSink.isServiceBinding({ fetch: () => undefined }))
    assert.isFalse(ServiceBindingSink.isServiceBinding("AGENTS"))
    assert.isFalse(ServiceBindingSink.isServiceBinding(undefined))
  })
})
