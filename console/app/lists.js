// Installations (revoke), deliveries (replay) and sessions.
import { api, integrationOf } from "./api.js"
import { announce, badge, fail, h, tableOf, time } from "./dom.js"
import { navigate, refresh, render } from "./shell.js"
import { state } from "./state.js"

// ---------------------------------------------------------------- installations

export async function revoke(installation) {
  if (!confirm(`Revoke ${installation.displayName}? Its tokens are deleted and its publications stop.`)) return
  try {
    await api(`/v1/installations/${encodeURIComponent(installation.id)}`, { method: "DELETE" })
    announce(`${installation.displayName} was revoked.`, "success")
    await refresh()
    render()
  } catch (error) {
    fail(error)
  }
}

export function renderInstallations() {
  const rows = state.installations.map((installation) =>
    h(
      "tr",
      {},
      h("td", {}, integrationOf(installation.providerId)?.displayName ?? installation.providerId),
      h("th", { scope: "row" }, installation.displayName),
      h("td", {}, badge(installation.status)),
      h("td", {}, installation.grantedScopes.map((scope) => h("code", { className: "chip" }, scope))),
      h("td", {}, time(installation.createdAt)),
      h(
        "td",
        { className: "actions" },
        installation.status === "active"
          ? [
            h("button", {
              type: "button",
              onClick: () => {
                state.preselect = installation.id
                navigate("publications")
              }
            }, "Publish an agent"),
            h("button", { type: "button", className: "danger", onClick: () => revoke(installation) }, "Revoke")
          ]
          : null
      )
    )
  )
  return [
    h("p", { className: "lead" }, "Workspaces connected to this tenant. Tokens are sealed and never shown."),
    tableOf("Installations", ["Provider", "Workspace", "Status", "Scopes granted", "Installed", "Actions"], rows, "Nothing installed yet: install an integration first.")
  ]
}

// ---------------------------------------------------------------- deliveries and sessions

export async function replay(delivery) {
  try {
    await api(`/v1/deliveries/${encodeURIComponent(delivery.event.id)}/replay`, { method: "POST", body: {} })
    state.replaying = { id: delivery.event.id, label: delivery.event.eventType }
    announce(`Replaying ${delivery.event.eventType}…`)
    await refresh()
    render()
  } catch (error) {
    fail(error)
  }
}

// Called after each refresh: once the replayed delivery's dispatches are settled (or one failed),
// the "Replaying…" notice gives way to the outcome. A replay resets attempts, so a pending
// dispatch with attempts and an error is this replay's failure, not the last run's.
export function settleReplay() {
  const replaying = state.replaying
  const delivery = replaying && state.deliveries.find((entry) => entry.event.id === replaying.id)
  if (!delivery || delivery.event.status === "received") return
  const { event, dispatches } = delivery
  const failed = dispatches.find((dispatch) => dispatch.status === "dead") ??
    dispatches.find((dispatch) => dispatch.status === "pending" && dispatch.attempts > 0 && dispatch.lastError)
  if (failed) {
    const next = failed.status === "dead" ? "is a dead letter" : "failed and will be retried"
    announce(`Replay of ${replaying.label}: the dispatch to ${failed.agentId} ${next} (${failed.lastError ?? "no reason given"}).`, "error")
  } else if (dispatches.length === 0) {
    const reason = event.reason ? `: ${event.reason}` : ""
    announce(`Replayed ${replaying.label}: ${event.status}${reason}.`, event.status === "failed" ? "error" : "info")
  } else if (dispatches.every((dispatch) => dispatch.status === "delivered")) {
    announce(`Replayed ${replaying.label}: delivered to ${dispatches.map((dispatch) => dispatch.agentId).join(", ")}.`, "success")
  } else return
  state.replaying = null
}

export function renderDeliveries() {
  const rows = state.deliveries.map((delivery) =>
    h(
      "tr",
      { "data-delivery": delivery.event.deliveryId },
      h("td", {}, time(delivery.event.receivedAt)),
      h("td", {}, integrationOf(delivery.event.providerId)?.displayName ?? delivery.event.providerId),
      h("th", { scope: "row" }, delivery.event.eventType),
      h("td", {}, badge(delivery.event.status), delivery.event.reason ? h("p", { className: "hint" }, delivery.event.reason) : null),
      h(
        "td",
        {},
        delivery.dispatches.length === 0
          ? "none"
          : h(
            "ul",
            { className: "plain" },
            delivery.dispatches.map((dispatch) =>
              h(
                "li",
                {},
                h("code", {}, dispatch.agentId),
                ` ${dispatch.mode} `,
                badge(dispatch.status),
                ` ${dispatch.attempts} attempt${dispatch.attempts === 1 ? "" : "s"}`,
                dispatch.lastError ? h("p", { className: "error-text" }, dispatch.lastError) : null
              )
            )
          )
      ),
      h("td", {}, h("code", { className: "wrap" }, delivery.event.deliveryId)),
      h(
        "td",
        { className: "actions" },
        delivery.pruned
          ? h("span", { className: "hint" }, "Body removed by retention")
          : h("button", { type: "button", onClick: () => replay(delivery) }, "Replay")
      )
    )
  )
  return [
    h(
      "p",
      { className: "lead" },
      "Webhooks received for this tenant and the dispatches they caused. The correlation id is on every log line, from the webhook to the agent's tool calls. Refreshes every few seconds."
    ),
    tableOf("Deliveries", ["Received", "Provider", "Event", "Status", "Dispatches", "Correlation id", "Actions"], rows, "No webhooks received yet.")
  ]
}

export function renderSessions() {
  const rows = state.sessions.map((session) => {
    const publication = state.publications.find((entry) => entry.id === session.publicationId)
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, h("code", { className: "wrap" }, session.sessionKey)),
      h("td", {}, h("code", {}, session.sessionId)),
      h("td", {}, publication?.agentId ?? session.publicationId),
      h("td", {}, badge(session.status)),
      h("td", {}, time(session.updatedAt))
    )
  })
  return [
    h("p", { className: "lead" }, "Agent sessions bound to issues, threads or workspaces: a later event on the same key resumes the session."),
    tableOf("Sessions", ["Session key", "Session id", "Agent", "Status", "Updated"], rows, "No sessions yet.")
  ]
}
