// The dev command's sandbox: simulate a vendor event, follow its delivery, show what the agent wrote.
import { sandboxApi } from "./api.js"
import { announce, badge, fail, h, shortTime, uid } from "./dom.js"
import { refresh, render } from "./shell.js"
import { state } from "./state.js"

export function sandboxPanel(integration) {
  const sandbox = state.sandbox?.providers.find((provider) => provider.id === integration.id)
  if (!sandbox) return null
  const selectId = uid("event")
  const select = h(
    "select",
    { id: selectId, name: "event" },
    sandbox.events.map((event) => h("option", { value: event.name }, `${event.name}: ${event.description}`))
  )
  const results = state.simulations.filter((simulation) => simulation.provider === integration.id)
  return h(
    "div",
    { className: "sandbox" },
    h("h4", {}, "Sandbox"),
    h(
      "p",
      { className: "hint" },
      "A local fake of ",
      integration.displayName,
      " runs at ",
      h("code", {}, sandbox.url),
      ". Simulate sends it a correctly signed sample webhook, as the vendor would."
    ),
    h(
      "form",
      {
        className: "inline",
        onSubmit: (event) => {
          event.preventDefault()
          simulate(integration, select.value)
        }
      },
      h("label", { for: selectId }, "Sample event"),
      select,
      h("button", { type: "submit", className: "primary" }, `Simulate ${integration.displayName} event`)
    ),
    results.length === 0
      ? null
      : h("ol", { className: "simulations", reversed: true, "aria-label": `Simulated ${integration.displayName} events` }, results.map(simulationItem))
  )
}

export function simulationItem(simulation) {
  const delivery = state.deliveries.find((entry) => entry.event.deliveryId === simulation.deliveryId)
  const dispatches = delivery?.dispatches ?? []
  return h(
    "li",
    { className: "simulation", "data-delivery": simulation.deliveryId, "data-subject": simulation.subject?.id },
    h("p", {}, h("strong", {}, simulation.summary), ` at ${shortTime(simulation.at)}: Switchboard answered ${simulation.answer.status}`),
    h(
      "p",
      {},
      "Delivery: ",
      delivery ? badge(delivery.event.status) : badge("waiting"),
      delivery?.event.reason ? ` ${delivery.event.reason}` : "",
      dispatches.map((dispatch) => [" · dispatch to ", h("code", {}, dispatch.agentId), " ", badge(dispatch.status), dispatch.lastError ? ` ${dispatch.lastError}` : ""])
    ),
    simulation.subject
      ? h(
        "div",
        { className: "activity" },
        h("p", {}, `In the sandbox, on ${simulation.subject.label}:`),
        simulation.activity.length === 0
          ? h("p", { className: "hint" }, "Nothing written yet.")
          : h(
            "ul",
            { className: "plain" },
            simulation.activity.map((entry) =>
              h("li", { className: entry.byAgent ? "by-agent" : "" }, h("strong", {}, entry.author), ": ", entry.body)
            )
          )
      )
      : null
  )
}

export async function simulate(integration, eventName) {
  try {
    announce(`Sending a signed ${integration.displayName} webhook…`)
    const result = await sandboxApi("/_sandbox/simulate", { method: "POST", body: { provider: integration.id, event: eventName } })
    state.simulations.unshift({ ...result, at: Date.now(), activity: [] })
    state.simulations = state.simulations.slice(0, 5)
    announce(`${result.summary}: Switchboard answered ${result.answer.status}.`, result.answer.status < 300 ? "success" : "error")
    await refresh()
    render()
  } catch (error) {
    fail(error)
  }
}

export async function refreshSimulations() {
  await Promise.all(
    state.simulations.slice(0, 3).filter((simulation) => simulation.subject).map(async (simulation) => {
      try {
        const query = new URLSearchParams({ provider: simulation.provider, subject: simulation.subject.id })
        const { activity } = await sandboxApi(`/_sandbox/activity?${query}`)
        simulation.activity = activity
      } catch {
        // The sandbox went away; keep what was shown.
      }
    })
  )
}
