// Publications: the form (scopes with their tools, granularity, filters) and the list.
import { api, installationOf, integrationOf } from "./api.js"
import { announce, append, badge, fail, h, tableOf, uid } from "./dom.js"
import { toolsOf } from "./integrations.js"
import { refresh, render } from "./shell.js"
import { state } from "./state.js"

// ---------------------------------------------------------------- publications

export function publicationForm() {
  const editing = state.editing ? state.publications.find((publication) => publication.id === state.editing) : null
  const active = state.installations.filter((installation) => installation.status === "active")
  if (active.length === 0 && !editing) {
    return h("p", { className: "empty" }, "Install an integration first; then publish an agent to it here.")
  }
  const installationId = editing?.installationId ?? state.preselect ?? active[0]?.id
  const installation = installationOf(installationId)
  const integration = installation ? integrationOf(installation.providerId) : undefined
  const form = h("form", { className: "card stack", "aria-labelledby": "publication-form-title", onSubmit: (event) => savePublication(event, editing) })
  const installationSelectId = uid("installation")
  const agentId = uid("agent")
  const granularityId = uid("granularity")
  append(
    form,
    h("h3", { id: "publication-form-title" }, editing ? `Edit ${editing.agentId}` : "Publish an agent"),
    h("label", { for: installationSelectId }, "Installation"),
    h(
      "select",
      {
        id: installationSelectId,
        name: "installationId",
        disabled: Boolean(editing),
        onChange: (event) => {
          state.preselect = event.target.value
          render()
          document.getElementById("publication-form-title")?.scrollIntoView({ block: "nearest" })
        }
      },
      (editing ? [installation].filter(Boolean) : active).map((entry) =>
        h("option", { value: entry.id, selected: entry.id === installationId }, `${integrationOf(entry.providerId)?.displayName ?? entry.providerId}: ${entry.displayName}`)
      )
    ),
    h("label", { for: agentId }, "Agent id"),
    h("input", { id: agentId, name: "agentId", required: true, maxlength: "200", value: editing?.agentId ?? "demo-agent", "aria-describedby": `${agentId}-hint` }),
    h("p", { id: `${agentId}-hint`, className: "hint" }, "Your agent platform's id for the agent; it is in every dispatch."),
    integration ? publicationSettings(integration, editing, granularityId) : null,
    h(
      "div",
      { className: "actions" },
      h("button", { type: "submit", className: "primary" }, editing ? "Save changes" : "Create publication"),
      editing
        ? h("button", {
          type: "button",
          onClick: () => {
            state.editing = null
            render()
          }
        }, "Cancel")
        : null
    )
  )
  return form
}

export function publicationSettings(integration, editing, granularityId) {
  const chosen = new Set(editing?.scopes ?? integration.scopes.map((scope) => scope.name))
  return [
    h(
      "fieldset",
      { className: "scopes-picker" },
      h("legend", {}, "Scopes (the tools the agent may use)"),
      integration.scopes.map((scope) => {
        const id = uid(`scope-${scope.name}`)
        return h(
          "div",
          { className: "check" },
          h("input", { type: "checkbox", id, name: "scopes", value: scope.name, checked: chosen.has(scope.name), "aria-describedby": `${id}-hint` }),
          h("label", { for: id }, h("code", {}, scope.name)),
          h("p", { id: `${id}-hint`, className: "hint" }, scope.description, toolsOf(integration, scope.name))
        )
      })
    ),
    h("label", { for: granularityId }, "Granularity (one agent session per …)"),
    h(
      "select",
      { id: granularityId, name: "granularity" },
      integration.granularities.map((granularity) => h("option", { value: granularity, selected: granularity === (editing?.granularity ?? integration.defaultGranularity ?? integration.granularities[0]) }, granularity))
    ),
    integration.filters.length === 0
      ? null
      : h(
        "fieldset",
        {},
        h("legend", {}, "Routing filters (empty means everything)"),
        integration.filters.map((filter) => {
          const id = uid(`filter-${filter.key}`)
          return h(
            "div",
            { className: "field" },
            h("label", { for: id }, filter.key),
            h("input", {
              id,
              name: `filter:${filter.key}`,
              value: (editing?.filters[filter.key] ?? []).join(", "),
              placeholder: "comma-separated",
              "aria-describedby": `${id}-hint`
            }),
            h("p", { id: `${id}-hint`, className: "hint" }, filter.description)
          )
        })
      )
  ]
}

export async function savePublication(event, editing) {
  event.preventDefault()
  const form = event.currentTarget
  const data = new FormData(form)
  const filters = {}
  for (const [name, value] of data.entries()) {
    if (!name.startsWith("filter:")) continue
    const values = String(value).split(",").map((entry) => entry.trim()).filter(Boolean)
    if (values.length > 0) filters[name.slice("filter:".length)] = values
  }
  const body = {
    agentId: String(data.get("agentId") ?? "").trim(),
    scopes: data.getAll("scopes").map(String),
    granularity: String(data.get("granularity")),
    filters
  }
  try {
    if (editing) {
      await api(`/v1/publications/${encodeURIComponent(editing.id)}`, { method: "PATCH", body })
      announce(`Saved ${body.agentId}.`, "success")
    } else {
      const installationId = String(data.get("installationId"))
      await api("/v1/publications", { method: "POST", body: { installationId, ...body } })
      announce(`${body.agentId} is published. Simulate an event from Integrations, or trigger one in the workspace.`, "success")
    }
    state.editing = null
    state.preselect = null
    await refresh()
    render()
  } catch (error) {
    fail(error)
  }
}

export async function patchPublication(publication, body, message) {
  try {
    await api(`/v1/publications/${encodeURIComponent(publication.id)}`, { method: "PATCH", body })
    announce(message, "success")
    await refresh()
    render()
  } catch (error) {
    fail(error)
  }
}

export async function deletePublication(publication) {
  if (!confirm(`Delete the publication of ${publication.agentId}?`)) return
  try {
    await api(`/v1/publications/${encodeURIComponent(publication.id)}`, { method: "DELETE" })
    announce(`The publication of ${publication.agentId} was deleted.`, "success")
    await refresh()
    render()
  } catch (error) {
    fail(error)
  }
}

export function renderPublications() {
  const rows = state.publications.map((publication) => {
    const installation = installationOf(publication.installationId)
    const filters = Object.entries(publication.filters).map(([key, values]) => `${key}: ${values.join(", ")}`)
    return h(
      "tr",
      {},
      h("th", { scope: "row" }, publication.agentId),
      h("td", {}, installation ? `${integrationOf(installation.providerId)?.displayName ?? installation.providerId}: ${installation.displayName}` : publication.installationId),
      h("td", {}, publication.scopes.map((scope) => h("code", { className: "chip" }, scope))),
      h("td", {}, publication.granularity),
      h("td", {}, filters.length === 0 ? "all" : filters.join("; ")),
      h("td", {}, badge(publication.status)),
      h(
        "td",
        { className: "actions" },
        h("button", {
          type: "button",
          onClick: () => {
            state.editing = publication.id
            render()
            document.getElementById("publication-form-title")?.focus()
          }
        }, "Edit"),
        publication.status === "active"
          ? h("button", { type: "button", onClick: () => patchPublication(publication, { status: "paused" }, `${publication.agentId} is paused.`) }, "Pause")
          : h("button", { type: "button", onClick: () => patchPublication(publication, { status: "active" }, `${publication.agentId} is active.`) }, "Resume"),
        h("button", { type: "button", className: "danger", onClick: () => deletePublication(publication) }, "Delete")
      )
    )
  })
  return [
    h("p", { className: "lead" }, "Which agent serves which installation, with which scopes, granularity and filters."),
    publicationForm(),
    tableOf("Publications", ["Agent", "Installation", "Scopes", "Granularity", "Filters", "Status", "Actions"], rows, "No publications yet.")
  ]
}
