/**
 * `/_sandbox/...` beside the kernel in the dev command (never in a deployment): what the Console
 * needs to simulate vendor events without a tunnel and to show what the agent did.
 *
 * | route | what |
 * |---|---|
 * | `GET /_sandbox` | the fakes: provider id, name, URL, events that can be simulated |
 * | `POST /_sandbox/simulate` | `{ provider, event? }`: builds and signs the event, sends it to the kernel's webhook route |
 * | `GET /_sandbox/activity?provider=&subject=` | what was written on the subject in the fake (the agent's comment ...) |
 *
 * Runtime-neutral: the dev command hands over how to reach the kernel (`send`).
 */
import { Schema } from "effect"
import { findEvent, type SandboxAdapter } from "./Sandbox.ts"

export interface RunningFake {
  readonly adapter: SandboxAdapter
  /** Where the fake is served, `http://127.0.0.1:<port>`. */
  readonly url: string
}

export interface SandboxRoutesOptions {
  readonly fakes: ReadonlyArray<RunningFake>
  readonly env: Readonly<Record<string, string>>
  readonly publicUrl: string
  /** Sends a request to Switchboard (in process in the dev command). */
  readonly send: (request: Request) => Promise<Response>
}

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } })

const failure = (status: number, message: string) => json(status, { error: { reason: "Sandbox", message } })

const SimulateBody = Schema.Struct({ provider: Schema.String, event: Schema.optional(Schema.String) })

const answerOf = async (response: Response): Promise<unknown> => {
  const text = await response.text()
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

export const makeSandboxRoutes = (options: SandboxRoutesOptions) => {
  const fakeOf = (providerId: string | null) => options.fakes.find((fake) => fake.adapter.providerId === providerId)

  const simulate = async (request: Request): Promise<Response> => {
    const body = Schema.decodeUnknownOption(Schema.fromJsonString(SimulateBody))(await request.text())
    if (body._tag === "None") return failure(400, "Send { \"provider\": \"linear\", \"event\": \"agent-session\" }")
    const fake = fakeOf(body.value.provider)
    if (fake === undefined) return failure(404, `No sandbox for provider "${body.value.provider}"`)
    const event = findEvent(fake.adapter, body.value.event)
    if (event === undefined) {
      return failure(404, `${fake.adapter.displayName} has no sample event "${body.value.event}"; try ${fake.adapter.events.map((entry) => entry.name).join(", ")}`)
    }
    const webhook = await event.build({ env: options.env, fakeUrl: fake.url })
    const answer = await options.send(
      new Request(`${options.publicUrl}${webhook.path}`, { method: "POST", headers: webhook.headers, body: webhook.body })
    )
    return json(200, {
      provider: fake.adapter.providerId,
      event: event.name,
      summary: webhook.summary,
      deliveryId: webhook.deliveryId,
      subject: webhook.subject,
      answer: { status: answer.status, body: await answerOf(answer) }
    })
  }

  const activity = async (url: URL): Promise<Response> => {
    const fake = fakeOf(url.searchParams.get("provider"))
    const subject = url.searchParams.get("subject")
    if (fake === undefined || subject === null) return failure(404, "Name a sandbox provider and a subject")
    return json(200, { activity: await fake.adapter.activity(fake.url, subject) })
  }

  return async (request: Request): Promise<Response> => {
    const url = new URL(request.url)
    const route = `${request.method} ${url.pathname.replace(/\/+$/, "")}`
    try {
      switch (route) {
        case "GET /_sandbox":
          return json(200, {
            providers: options.fakes.map(({ adapter, url: fakeUrl }) => ({
              id: adapter.providerId,
              displayName: adapter.displayName,
              url: fakeUrl,
              events: adapter.events.map((event) => ({ name: event.name, description: event.description }))
            }))
          })
        case "POST /_sandbox/simulate":
          return await simulate(request)
        case "GET /_sandbox/activity":
          return await activity(url)
        default:
          return failure(404, `The sandbox has no ${route}`)
      }
    } catch (error) {
      return failure(502, error instanceof Error ? error.message : String(error))
    }
  }
}
