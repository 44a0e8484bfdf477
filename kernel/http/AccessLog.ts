/**
 * The access log: one structured line per request, through the same Effect logger as every other
 * line (SWITCHBOARD_LOG_FORMAT), with `method`, `path` (never the query: install tickets travel
 * there), `status`, `durationMs` and, when a route knows them, `providerId`, `correlationId`
 * (the vendor's delivery id) and `reason` (why the request was refused). On by default;
 * SWITCHBOARD_ACCESS_LOG=errors keeps only answers of 400 and above (the dev command's default:
 * the Console polls every few seconds), `off` none (`KernelConfig.accessLog`).
 *
 * Routes add what only they know to the request's `AccessNote` (`noteAccess`), a small record
 * the middleware hands down with the request; everything else (the logger, the clock, the
 * setting) is read once when the router is built.
 */
import { Clock, Console, Context, Effect, Logger, LogLevel, References } from "effect"
import { HttpRouter, HttpServerRequest } from "effect/http"
import { KernelConfig } from "../KernelConfig.ts"
import { jsonLogger, plainJsonLine } from "../observability/JsonLogger.ts"

export interface AccessNote {
  providerId: string | undefined
  correlationId: string | undefined
  reason: string | undefined
}

/** The current request's note; `undefined` outside a request (or with the access log off). */
export const AccessNote = Context.Reference<AccessNote | undefined>("switchboard/http/AccessNote", {
  defaultValue: () => undefined
})

/** Adds what a route knows about the request to its access-log line. */
export const noteAccess = (fields: Partial<AccessNote>): Effect.Effect<void> =>
  Effect.map(Effect.service(AccessNote), (note) => {
    if (note !== undefined) Object.assign(note, fields)
  })

const pathOf = (url: string): string => {
  const end = url.search(/[?#]/)
  return end === -1 ? url : url.slice(0, end)
}

type AccessFields = Readonly<Record<string, string | number>>

const fieldsOf = (method: string, path: string, status: number, durationMs: number, note: AccessNote): AccessFields => ({
  method,
  path,
  status,
  durationMs,
  ...(note.providerId === undefined ? {} : { providerId: note.providerId }),
  ...(note.correlationId === undefined ? {} : { correlationId: note.correlationId }),
  ...(note.reason === undefined ? {} : { reason: note.reason })
})

const isEmpty = (record: object) => {
  for (const _ in record) return false
  return true
}

/**
 * Writes one access line. Under a JSON logger alone (`jsonLogger`, what SWITCHBOARD_LOG_FORMAT=json
 * installs, or Effect's `Logger.consoleJson`) with no annotations or spans around it, the line is
 * written as that logger would write it (`plainJsonLine`), without `Effect.logInfo`'s annotation
 * merge and logger dispatch: about 5 µs of a webhook's ~210 on Bun (issue 14's in-process bench,
 * four alternating rounds). Any other logger set, annotation or span goes through
 * `Effect.logInfo`, unchanged.
 */
const writeLine = (fields: AccessFields): Effect.Effect<void> =>
  Effect.withFiber((fiber) => {
    if (!LogLevel.isGreaterThanOrEqualTo("Info", fiber.getRef(References.MinimumLogLevel))) return Effect.void
    const loggers = fiber.getRef(Logger.CurrentLoggers)
    const annotations = fiber.getRef(References.CurrentLogAnnotations)
    if (loggers.size === 1 && (loggers.has(jsonLogger) || loggers.has(Logger.consoleJson)) && isEmpty(annotations) && fiber.getRef(References.CurrentLogSpans).length === 0) {
      fiber.getRef(Console.Console).log(
        plainJsonLine({ message: "http request", level: "Info", date: new Date(), annotations: fields, spans: {}, fiberId: fiber.id })
      )
      return Effect.void
    }
    return Effect.logInfo("http request").pipe(Effect.annotateLogs(fields))
  })

/** One access-log line (the middleware's, and the webhook fast path's in `WebhookRoutes.ts`). */
export const logAccess = (method: string, url: string, status: number, durationMs: number, note: AccessNote): Effect.Effect<void> =>
  writeLine(fieldsOf(method, pathOf(url), status, durationMs, note))

/**
 * Runs `handle` with a fresh note and logs its answer per `accessLog` (off, errors, on): the
 * middleware's work for a request served outside the router.
 */
export const withAccessLog = <A extends { readonly status: number }, E, R>(
  accessLog: KernelConfig["Service"]["accessLog"],
  method: string,
  url: string,
  handle: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  accessLog === "off" ? handle : Effect.flatMap(Effect.service(References.MinimumLogLevel), (minimum) => {
    // Below the logger's minimum level the line would be dropped: no note, no clock, no line.
    if (!LogLevel.isGreaterThanOrEqualTo("Info", minimum)) return handle
    return Effect.gen(function*() {
      const started = yield* Clock.currentTimeMillis
      const note: AccessNote = { providerId: undefined, correlationId: undefined, reason: undefined }
      const response = yield* Effect.provideService(handle, AccessNote, note)
      if (response.status >= (accessLog === "errors" ? 400 : 0)) {
        yield* logAccess(method, url, response.status, (yield* Clock.currentTimeMillis) - started, note)
      }
      return response
    })
  })

/** The middleware, global on the router: it sees every route's answer, the Console's too. */
export const AccessLog = HttpRouter.middleware(
  Effect.gen(function*() {
    const config = yield* KernelConfig
    // The logger (and its format) of the context the router is built in, not the request's.
    const context = yield* Effect.context<never>()
    const clock = yield* Clock.Clock
    if (config.accessLog === "off") return (httpEffect) => httpEffect
    const minimumStatus = config.accessLog === "errors" ? 400 : 0
    return (httpEffect) =>
      Effect.gen(function*() {
        const request = yield* HttpServerRequest.HttpServerRequest
        const started = clock.currentTimeMillisUnsafe()
        const note: AccessNote = { providerId: undefined, correlationId: undefined, reason: undefined }
        const response = yield* Effect.provideService(httpEffect, AccessNote, note)
        if (response.status < minimumStatus) return response
        yield* writeLine(fieldsOf(request.method, pathOf(request.url), response.status, clock.currentTimeMillisUnsafe() - started, note)).pipe(
          Effect.provideContext(context)
        )
        return response
      })
  }),
  { global: true }
)
