// Integrations: install (OAuth with a ticket, credential paste, a tenant's own app), scopes and tools.
import { api } from "./api.js"
import { announce, badge, fail, h, uid } from "./dom.js"
import { sandboxPanel } from "./sandbox.js"
import { navigate, refresh, render } from "./shell.js"
import { state } from "./state.js"

// ---------------------------------------------------------------- integrations

export async function startInstall(integration, registrationId) {
  try {
    const { ticket } = await api("/v1/install-tickets", { method: "POST", body: { providerId: integration.id } })
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

export async function startManifestFlow(integration, name) {
  try {
    const { ticket } = await api("/v1/install-tickets", { method: "POST", body: { providerId: integration.id } })
    const target = new URL(`/install/${encodeURIComponent(integration.id)}/app`, location.origin)
    target.searchParams.set("ticket", ticket)
    target.searchParams.set("name", name)
    target.searchParams.set("returnUrl", `${location.origin}/#installations`)
    location.assign(target.toString())
  } catch (error) {
    fail(error)
  }
}

export function fieldInputs(fields, prefix) {
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

export const formFields = (form) => Object.fromEntries(new FormData(form).entries())

export function credentialForm(integration, method) {
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

export function registrationPanel(integration) {
  const registrations = state.registrations.filter((registration) => registration.providerId === integration.id)
  // A registration just created stays on screen (in state) until its credentials are saved.
  const draft = state.registrationDrafts[integration.id]
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
          state.registrationDrafts[integration.id] = created
          render()
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
    draft ? registrationDetails(integration, draft) : null,
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

export function registrationDetails(integration, created) {
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
            delete state.registrationDrafts[integration.id]
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

export function scopesList(integration) {
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

export function toolsOf(integration, scope) {
  const tools = integration.tools.filter((tool) => tool.scope === scope)
  if (tools.length === 0) return null
  return h("span", { className: "tools" }, " Tools: ", tools.map((tool, index) => [index > 0 ? ", " : "", h("code", { title: tool.description }, tool.name)]))
}

// A method this deployment's settings do not configure would only end in an error: it is not
// offered; the card says which settings make it work (and points at the tenant's own app).
export function installMethod(integration, method) {
  if (method.configured === false) return notConfigured(integration, method)
  return method.type === "oauth"
    ? h("button", { type: "button", className: "primary", onClick: () => startInstall(integration) }, `Install ${integration.displayName}`)
    : credentialForm(integration, method)
}

export function notConfigured(integration, method) {
  const how = method.type === "oauth" ? "Installing with OAuth" : "Connecting with credentials"
  const names = method.needs.map((name, index) => [index === 0 ? "" : index === method.needs.length - 1 ? " and " : ", ", h("code", {}, name)])
  return h(
    "p",
    { className: "hint not-configured", "data-method": method.type },
    `${how} is not configured on this deployment: set `,
    names,
    " in its environment and restart it.",
    integration.registration && method.type === "oauth" ? " Or use your own app below." : null
  )
}

export function renderIntegrations() {
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
          integration.install.map((method) => installMethod(integration, method)),
          integration.registration ? registrationPanel(integration) : null,
          scopesList(integration),
          sandboxPanel(integration)
        )
      })
    )
  ]
}
