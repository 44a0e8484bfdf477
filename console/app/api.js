// The management API with the tenant key, the dev command's sandbox, and loading everything.
import { state } from "./state.js"

// ---------------------------------------------------------------- API

export class ApiError extends Error {
  constructor(status, reason, message) {
    super(message)
    this.status = status
    this.reason = reason
  }
}

export async function api(path, options = {}) {
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
    if (response.status === 401 && options.auth !== false) {
      window.dispatchEvent(new CustomEvent("switchboard:unauthorized", { detail: `The API key was not accepted: ${message}` }))
    }
    throw new ApiError(response.status, data?.error?.reason ?? "Error", message)
  }
  return data
}

export async function sandboxApi(path, options = {}) {
  const response = await fetch(path, {
    method: options.method ?? "GET",
    headers: options.body === undefined ? {} : { "content-type": "application/json" },
    body: options.body === undefined ? undefined : JSON.stringify(options.body)
  })
  const data = await response.json().catch(() => null)
  if (!response.ok) throw new Error(data?.error?.message ?? `The sandbox answered ${response.status}`)
  return data
}

export async function loadAll() {
  const [integrations, installations, publications, deliveries, sessions, registrations, apiKeys] = await Promise.all([
    api("/v1/integrations"),
    api("/v1/installations"),
    api("/v1/publications"),
    api("/v1/deliveries?limit=50"),
    api("/v1/sessions?limit=50"),
    api("/v1/registrations").catch(() => ({ registrations: [] })),
    api("/v1/api-keys")
  ])
  state.integrations = integrations.integrations
  state.installations = installations.installations
  state.publications = publications.publications
  state.deliveries = deliveries.deliveries
  state.sessions = sessions.sessions
  state.registrations = registrations.registrations
  state.apiKeys = apiKeys.apiKeys
}

export async function loadSandbox() {
  try {
    const response = await fetch("/_sandbox")
    state.sandbox = response.ok ? await response.json() : null
  } catch {
    state.sandbox = null
  }
}

export const integrationOf = (providerId) => state.integrations.find((integration) => integration.id === providerId)
export const installationOf = (id) => state.installations.find((installation) => installation.id === id)
