// The Switchboard Console: plain modern JavaScript, no framework, no build step (see
// console/build.ts for how it is embedded). It speaks only the public management API with the
// tenant API key, which is entered once and kept in sessionStorage (never in a URL: install
// links use short-lived tickets). DOM is built with `h`, never from HTML strings, so nothing a
// vendor or a user typed can become markup.
"use strict"

const KEY_STORAGE = "switchboard.apiKey"
const VIEWS = [
  ["integrations", "Integrations"],
  ["installations", "Installations"],
  ["publications", "Publications"],
  ["deliveries", "Deliveries"],
  ["sessions", "Sessions"]
]
const REFRESH_MS = 3000

const state = {
  key: null,
  view: "integrations",
  integrations: [],
  installations: [],
  publications: [],
  deliveries: [],
  sessions: [],
  registrations: [],
  sandbox: null,
  simulations: [],
  editing: null,
  preselect: null,
  timer: null
}

// ---------------------------------------------------------------- DOM helpers

function h(tag, attributes, ...children) {
  const element = document.createElement(tag)
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue
    if (name.startsWith("on")) element.addEventListener(name.slice(2).toLowerCase(), value)
    else if (name === "className") element.className = value
    else if (name === "value") element.value = value
    else if (name === "checked") element.checked = Boolean(value)
    else element.setAttribute(name, value === true ? "" : String(value))
  }
  return append(element, ...children)
}

function append(element, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    element.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return element
}

function replace(element, ...children) {
  element.replaceChildren()
  return append(element, ...children)
}

let idCounter = 0
const uid = (prefix) => `${prefix}-${++idCounter}`

const time = (ms) => (ms ? new Date(ms).toLocaleString() : "")
const shortTime = (ms) => (ms ? new Date(ms).toLocaleTimeString() : "")

function badge(status) {
  return h("span", { className: `badge badge-${String(status).replace(/[^a-z]/gi, "")}` }, status)
}

function tableOf(caption, headers, rows, empty) {
  if (rows.length === 0) return h("p", { className: "empty" }, empty)
  // On narrow screens each row becomes a card; the labels come from the headers.
  for (const row of rows) [...row.children].forEach((cell, index) => cell.setAttribute("data-label", headers[index] ?? ""))
  const id = uid("table")
  return h(
    "div",
    { className: "table-scroll", role: "region", "aria-labelledby": id, tabindex: "0" },
    h(
      "table",
      {},
      h("caption", { id }, caption),
      h("thead", {}, h("tr", {}, headers.map((header) => h("th", { scope: "col" }, header)))),
      h("tbody", {}, rows)
    )
  )
}

// ---------------------------------------------------------------- status messages

function announce(message, kind = "info") {
  const status = document.getElementById("status")
  replace(status, message ? h("p", { className: `notice notice-${kind}` }, message) : null)
}

function fail(error) {
  announce(error instanceof Error ? error.message : String(error), "error")
}

// ---------------------------------------------------------------- API

class ApiError extends Error {
  constructor(status, reason, message) {
    super(message)
    this.status = status
    this.reason = reason
  }
}

async function api(path, options = {}) {
  const headers = { authorization: `Bearer ${state.key}` }
  if (options.body !== undefined) headers["content-type"] = "application/json"
  const response = await fetch(path, {
    method: options.method ?? "GET",
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body)
  })
  const text = await response.text()
  let data = null
  try {
    data = text ? JSON.parse(text) : null
  } catch {
    data = null
  }
  if (!response.ok) {
    const message = data?.error?.message ?? `${response.status} ${response.statusText}`
    if (response.status === 401 && options.auth !== false) signOut("The API key was not accepted: " + message)
    throw new ApiError(response.status, data?.error?.reason ?? "Error", message)
  }
  return data
}

async function sandboxApi(path, options = {}) {
  const response = await fetch(path, {
    method: options.method ?? "GET",
    headers: options.body === undefined ? {} : { "content-type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body)
  })
  const data = await response.json().catch(() => null)
  if (!response.ok) throw new Error(data?.error?.message ?? `The sandbox answered ${response.status}`)
  return data
}

async function loadAll() {
  const [integrations, installations, publications, deliveries, sessions, registrations] = await Promise.all([
    api("/v1/integrations"),
    api("/v1/installations"),
    api("/v1/publications"),
    api("/v1/deliveries?limit=50"),
    api("/v1/sessions?limit=50"),
    api("/v1/registrations").catch(() => ({ registrations: [] }))
  ])
  state.integrations = integrations.integrations
  state.installations = installations.installations
  state.publications = publications.publications
  state.deliveries = deliveries.deliveries
  state.sessions = sessions.sessions
  state.registrations = registrations.registrations
}

async function loadSandbox() {
  try {
    const response = await fetch("/_sandbox")
    state.sandbox = response.ok ? await response.json() : null
  } catch {
    state.sandbox = null
  }
}

const integrationOf = (providerId) => state.integrations.find((integration) => integration.id === providerId)
const installationOf = (id) => state.installations.find((installation) => installation.id === id)

// ---------------------------------------------------------------- sign in

function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE)
  state.key = null
  stopRefresh()
  render()
  if (message) announce(message, "error")
}

function renderSignIn() {
  const input = h("input", {
    id: "api-key",
    name: "apiKey",
    type: "password",
    autocomplete: "off",
    spellcheck: "false",
    required: true,
    "aria-describedby": "api-key-hint"
  })
  const form = h(
    "form",
    {
      className: "card narrow",
      onSubmit: async (event) => {
        event.preventDefault()
        state.key = input.value.trim()
        try {
          await api("/v1/installations", { auth: false })
          sessionStorage.setItem(KEY_STORAGE, state.key)
          announce("Signed in.", "success")
          await start()
        } catch (error) {
          state.key = null
          fail(error)
          input.focus()
        }
      }
    },
    h("h2", { id: "sign-in-title" }, "Sign in with a tenant API key"),
    h("label", { for: "api-key" }, "API key"),
    input,
    h(
      "p",
      { id: "api-key-hint", className: "hint" },
      "Keys start with sbk_. The key stays in this tab (sessionStorage) and is sent only to this Switchboard. ",
      "`npm run dev` prints a Console link that fills it in."
    ),
    h("button", { type: "submit", className: "primary" }, "Sign in")
  )
  return h("section", { "aria-labelledby": "sign-in-title" }, form)
}

// ---------------------------------------------------------------- integrations

async function startInstall(integration, registrationId) {
  try {
    const { ticket } = await api("/v1/install-tickets", { method: "POST", body: {} })
    const target = new URL(`/install/${encodeURIComponent(integration.id)}`, location.origin)
    target.searchParams.set("ticket", ticket)
    target.searchParams.set("returnUrl", `${location.origin}/#installations`)
    if (registrationId) target.searchParams.set("registration", registrationId)
    announce(`Opening ${integration.displayName}'s consent page…`)
    location.assign(target.toString())
  } catch (error) {
    fail(error)
  }
}

async function startManifestFlow(integration, name) {
  try {
    const { ticket } = await api("/v1/install-tickets", { method: "POST", body: {} })
    const target = new URL(`/install/${encodeURIComponent(integration.id)}/app`, location.origin)
    target.searchParams.set("ticket", ticket)
    target.searchParams.set("name", name)
    target.searchParams.set("returnUrl", `${location.origin}/#installations`)
    location.assign(target.toString())
  } catch (error) {
    fail(error)
  }
}

function fieldInputs(fields, prefix) {
  return fields.map((field) => {
    const id = uid(`${prefix}-${field.name}`)
    const hintId = `${id}-hint`
    return h(
      "div",
      { className: "field" },
      h("label", { for: id }, field.label),
      h("input", {
        id,
        name: field.name,
        type: field.secret ? "password" : "text",
        autocomplete: "off",
        required: true,
        "aria-describedby": field.description ? hintId : undefined
      }),
      field.description ? h("p", { id: hintId, className: "hint" }, field.description) : null
    )
  })
}

const formFields = (form) => Object.fromEntries(new FormData(form).entries())

function credentialForm(integration, method) {
  return h(
    "form",
    {
      className: "stack",
      onSubmit: async (event) => {
        event.preventDefault()
        const form = event.currentTarget
        try {
          announce(`Checking the credentials with ${integration.displayName}…`)
          const { installation } = await api(method.url, { method: "POST", body: { fields: formFields(form) } })
          form.reset()
          announce(`${installation.displayName} is connected.`, "success")
          await refresh()
          navigate("installations")
        } catch (error) {
          fail(error)
        }
      }
    },
    fieldInputs(method.fields, integration.id),
    h("button", { type: "submit", className: "primary" }, `Connect ${integration.displayName}`)
  )
}

function registrationPanel(integration) {
  const registrations = state.registrations.filter((registration) => registration.providerId === integration.id)
  const output = h("div", { className: "stack" })
  const nameId = uid("app-name")
  const nameInput = h("input", { id: nameId, name: "name", required: true, maxlength: "80", value: "Switchboard" })
  const create = h(
    "form",
    {
      className: "stack",
      onSubmit: async (event) => {
        event.preventDefault()
        try {
          const created = await api("/v1/registrations", {
            method: "POST",
            body: { providerId: integration.id, name: nameInput.value }
          })
          replace(output, registrationDetails(integration, created))
          await refresh()
        } catch (error) {
          fail(error)
        }
      }
    },
    h("label", { for: nameId }, "App name"),
    nameInput,
    h(
      "div",
      { className: "actions" },
      h("button", { type: "submit" }, "Register an app (paste its credentials)"),
      integration.registration.manifestFlow
        ? h("button", { type: "button", onClick: () => startManifestFlow(integration, nameInput.value) }, `Create the app on ${integration.displayName}`)
        : null
    )
  )
  return h(
    "details",
    { className: "registration", id: `registration-${integration.id}` },
    h("summary", {}, `Use your own ${integration.displayName} app`),
    h("p", { className: "hint" }, "Your organization's own app instead of this deployment's: create it, then install it."),
    create,
    output,
    registrations.length === 0
      ? null
      : h(
        "ul",
        { className: "plain" },
        registrations.map((registration) =>
          h(
            "li",
            {},
            `${registration.displayName} `,
            badge(registration.status),
            " ",
            registration.status === "active"
              ? h("button", { type: "button", onClick: () => startInstall(integration, registration.id) }, `Install with ${registration.displayName}`)
              : null
          )
        )
      )
  )
}

function registrationDetails(integration, created) {
  const urls = Object.entries(created.urls).map(([name, value]) => h("li", {}, h("strong", {}, name), ": ", h("code", {}, value)))
  return h(
    "div",
    { className: "stack" },
    h("p", {}, "Point the app at these URLs:"),
    h("ul", { className: "plain" }, urls),
    created.manifest ? h("details", { id: `manifest-${integration.id}` }, h("summary", {}, "App manifest"), h("pre", {}, JSON.stringify(created.manifest, null, 2))) : null,
    h(
      "form",
      {
        className: "stack",
        onSubmit: async (event) => {
          event.preventDefault()
          try {
            await api(`/v1/registrations/${encodeURIComponent(created.registration.id)}/credentials`, {
              method: "PUT",
              body: { fields: formFields(event.currentTarget) }
            })
            announce("The app is registered; install it below.", "success")
            await refresh()
            render()
          } catch (error) {
            fail(error)
          }
        }
      },
      fieldInputs(created.fields, `app-${integration.id}`),
      h("button", { type: "submit", className: "primary" }, "Save the app's credentials")
    )
  )
}

function scopesList(integration) {
  return h(
    "details",
    { id: `scopes-${integration.id}` },
    h("summary", {}, `${integration.scopes.length} scopes, ${integration.tools.length} tools`),
    h(
      "dl",
      { className: "scopes" },
      integration.scopes.map((scope) => [
        h("dt", {}, h("code", {}, scope.name)),
        h("dd", {}, scope.description, toolsOf(integration, scope.name))
      ])
    )
  )
}

function toolsOf(integration, scope) {
  const tools = integration.tools.filter((tool) => tool.scope === scope)
  if (tools.length === 0) return null
  return h("span", { className: "tools" }, " Tools: ", tools.map((tool, index) => [index > 0 ? ", " : "", h("code", { title: tool.description }, tool.name)]))
}

function sandboxPanel(integration) {
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

function simulationItem(simulation) {
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

async function simulate(integration, eventName) {
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

async function refreshSimulations() {
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

function renderIntegrations() {
  return [
    h("p", { className: "lead" }, "Connect a workspace, publish an agent to it, and its events become agent sessions."),
    state.integrations.length === 0 ? h("p", { className: "empty" }, "This deployment serves no providers.") : null,
    h(
      "div",
      { className: "grid" },
      state.integrations.map((integration) => {
        const installed = state.installations.filter((installation) => installation.providerId === integration.id && installation.status === "active")
        return h(
          "article",
          { className: "card", "aria-labelledby": `integration-${integration.id}` },
          h("h3", { id: `integration-${integration.id}` }, integration.displayName, installed.length > 0 ? [" ", badge("installed")] : null),
          h("p", {}, integration.description),
          integration.install.map((method) =>
            method.type === "oauth"
              ? h("button", { type: "button", className: "primary", onClick: () => startInstall(integration) }, `Install ${integration.displayName}`)
              : credentialForm(integration, method)
          ),
          integration.registration ? registrationPanel(integration) : null,
          scopesList(integration),
          sandboxPanel(integration)
        )
      })
    )
  ]
}

// ---------------------------------------------------------------- installations

async function revoke(installation) {
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

function renderInstallations() {
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

// ---------------------------------------------------------------- publications

function publicationForm() {
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

function publicationSettings(integration, editing, granularityId) {
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
      integration.granularities.map((granularity) => h("option", { value: granularity, selected: granularity === (editing?.granularity ?? integration.granularities.at(-1)) }, granularity))
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

async function savePublication(event, editing) {
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

async function patchPublication(publication, body, message) {
  try {
    await api(`/v1/publications/${encodeURIComponent(publication.id)}`, { method: "PATCH", body })
    announce(message, "success")
    await refresh()
    render()
  } catch (error) {
    fail(error)
  }
}

async function deletePublication(publication) {
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

function renderPublications() {
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

// ---------------------------------------------------------------- deliveries and sessions

async function replay(delivery) {
  try {
    await api(`/v1/deliveries/${encodeURIComponent(delivery.event.id)}/replay`, { method: "POST", body: {} })
    announce(`Replaying ${delivery.event.eventType}…`, "success")
    await refresh()
    render()
  } catch (error) {
    fail(error)
  }
}

function renderDeliveries() {
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
      h("td", { className: "actions" }, h("button", { type: "button", onClick: () => replay(delivery) }, "Replay"))
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

function renderSessions() {
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

// ---------------------------------------------------------------- shell

const renderers = {
  integrations: renderIntegrations,
  installations: renderInstallations,
  publications: renderPublications,
  deliveries: renderDeliveries,
  sessions: renderSessions
}

// The current view's link would not change the hash: show the view again, focus on its title.
const followNav = (view) => (event) => {
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  navigate(view)
}

function renderNav() {
  const nav = document.getElementById("nav")
  replace(
    nav,
    state.key
      ? h(
        "ul",
        {},
        VIEWS.map(([id, label]) =>
          h("li", {}, h("a", { href: `#${id}`, "aria-current": state.view === id ? "page" : undefined, onClick: followNav(id) }, label))
        )
      )
      : null
  )
  replace(
    document.getElementById("account"),
    state.key
      ? [h("span", { className: "hint" }, `Key ${state.key.slice(0, 10)}…`), " ", h("button", { type: "button", onClick: () => signOut("Signed out.") }, "Sign out")]
      : null
  )
}

// What a redraw must not take away from the user: open disclosures, values not yet submitted.
function controlsOf(app) {
  const open = [...app.querySelectorAll("details[open]")].map((element) => element.id)
  const values = [...app.querySelectorAll("input[id], select[id]")].map((element) => [element.id, element.type === "checkbox" ? element.checked : element.value])
  return { open, values }
}

function restoreControls(controls) {
  for (const id of controls.open) document.getElementById(id)?.setAttribute("open", "")
  for (const [id, value] of controls.values) {
    const element = document.getElementById(id)
    if (!element) continue
    if (element.type === "checkbox") element.checked = value
    else element.value = value
  }
}

function render(options = {}) {
  // Ids come from a counter reset on each redraw, so the same view gets the same ids again.
  idCounter = 0
  renderNav()
  const app = document.getElementById("app")
  if (!state.key) return replace(app, renderSignIn())
  const label = VIEWS.find(([id]) => id === state.view)?.[1] ?? ""
  const controls = options.preserve ? controlsOf(app) : { open: [...app.querySelectorAll("details[open]")].map((element) => element.id), values: [] }
  const focused = document.activeElement?.id
  replace(
    app,
    h("section", { "aria-labelledby": "view-title", id: `view-${state.view}` }, h("h2", { id: "view-title", tabindex: "-1" }, label), renderers[state.view]())
  )
  restoreControls(controls)
  if (focused) document.getElementById(focused)?.focus()
}

function navigate(view) {
  if (location.hash !== `#${view}`) location.hash = view
  else show(view)
}

function show(view, focus = true) {
  state.view = renderers[view] ? view : "integrations"
  if (state.view !== "publications") state.editing = null
  render()
  if (focus) document.getElementById("view-title")?.focus()
}

async function refresh() {
  await loadAll()
  await refreshSimulations()
}

// Forms being filled in are not redrawn under the user's hands; lists are.
const quietView = () => ["deliveries", "sessions", "installations", "integrations"].includes(state.view)

function startRefresh() {
  stopRefresh()
  state.timer = setInterval(async () => {
    if (document.hidden || !state.key) return
    const typing = document.activeElement?.matches?.("input, select, textarea")
    try {
      await refresh()
      if (quietView() && !typing) render({ preserve: true })
    } catch {
      // A failed refresh is retried on the next tick; explicit actions report errors.
    }
  }, REFRESH_MS)
}

function stopRefresh() {
  if (state.timer) clearInterval(state.timer)
  state.timer = null
}

async function start() {
  try {
    await Promise.all([loadAll(), loadSandbox()])
  } catch (error) {
    fail(error)
    return
  }
  show(location.hash.slice(1) || "integrations", false)
  startRefresh()
}

function readLocation() {
  // `#key=...` from the dev command: stored for this tab, then removed from the address bar.
  if (location.hash.startsWith("#key=")) {
    sessionStorage.setItem(KEY_STORAGE, decodeURIComponent(location.hash.slice("#key=".length)))
    history.replaceState(null, "", `${location.pathname}${location.search}#integrations`)
  }
  const params = new URLSearchParams(location.search)
  const installed = params.get("installation")
  if (installed) {
    history.replaceState(null, "", `${location.pathname}${location.hash || "#installations"}`)
    return `Connected: installation ${installed} is active. Publish an agent to it next.`
  }
  return null
}

window.addEventListener("hashchange", () => {
  if (location.hash.startsWith("#key=")) {
    readLocation()
    state.key = sessionStorage.getItem(KEY_STORAGE)
    start()
    return
  }
  if (state.key) show(location.hash.slice(1))
})

const welcome = readLocation()
state.key = sessionStorage.getItem(KEY_STORAGE)
if (welcome) announce(welcome, "success")
if (state.key) start()
else render()
