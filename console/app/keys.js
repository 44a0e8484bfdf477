// API keys: the tenant's keys (never a key itself), a new one shown once, revocation.
import { api } from "./api.js"
import { announce, badge, fail, h, tableOf, time } from "./dom.js"
import { render } from "./shell.js"
import { state } from "./state.js"

export async function loadKeys() {
  state.apiKeys = (await api("/v1/api-keys")).apiKeys
}

// A key revoked while in use here would sign this tab out on its next request: say so first.
const isCurrent = (key) => state.key?.startsWith(key.prefix) === true

async function createKey(name) {
  try {
    const created = (await api("/v1/api-keys", { method: "POST", body: { name } })).apiKey
    // Kept in memory for this one view only: leaving it (or "Done") forgets it for good.
    state.revealedKey = created
    await loadKeys()
    render()
    document.getElementById("revealed-key")?.focus()
  } catch (error) {
    fail(error)
  }
}

async function revokeKey(key) {
  const warning = isCurrent(key) ? " This Console is signed in with it: you will be signed out." : ""
  if (!confirm(`Revoke the key "${key.name}" (${key.prefix}…)? Requests with it are refused at once.${warning}`)) return
  try {
    await api(`/v1/api-keys/${encodeURIComponent(key.id)}`, { method: "DELETE" })
    announce(`The key "${key.name}" was revoked.`, "success")
    if (isCurrent(key)) return window.dispatchEvent(new CustomEvent("switchboard:unauthorized", { detail: "The key this Console used was revoked." }))
    await loadKeys()
    render()
  } catch (error) {
    fail(error)
  }
}

function renderRevealed() {
  const created = state.revealedKey
  if (!created) return null
  return h(
    "div",
    { className: "card", role: "group", "aria-labelledby": "revealed-title" },
    h("h3", { id: "revealed-title" }, `New key "${created.name}"`),
    h("p", {}, "Copy it now: it is shown this once, and only its hash is kept."),
    h("label", { for: "revealed-key" }, "API key"),
    h("input", { id: "revealed-key", type: "text", readonly: true, value: created.apiKey, spellcheck: "false", autocomplete: "off" }),
    h("button", {
      type: "button",
      onClick: () => {
        state.revealedKey = null
        render()
      }
    }, "Done")
  )
}

function renderCreate() {
  const input = h("input", { id: "new-key-name", name: "name", type: "text", required: true, maxlength: "200", autocomplete: "off" })
  return h(
    "form",
    {
      className: "card",
      onSubmit: (event) => {
        event.preventDefault()
        const name = input.value.trim()
        if (name) void createKey(name)
      }
    },
    h("label", { for: "new-key-name" }, "Name of the new key"),
    input,
    h("button", { type: "submit", className: "primary" }, "Create key")
  )
}

export function renderKeys() {
  const rows = state.apiKeys.map((key) =>
    h(
      "tr",
      { "data-key": key.id },
      h("th", { scope: "row" }, key.name),
      h("td", {}, h("code", {}, `${key.prefix}…`), isCurrent(key) ? h("span", { className: "hint" }, " (this Console)") : null),
      h("td", {}, time(key.createdAt)),
      h("td", {}, key.lastUsedAt ? time(key.lastUsedAt) : "never"),
      h("td", {}, badge(key.revokedAt ? "revoked" : "active")),
      h(
        "td",
        { className: "actions" },
        key.revokedAt ? null : h("button", { type: "button", className: "danger", onClick: () => revokeKey(key) }, `Revoke ${key.name}`)
      )
    )
  )
  return [
    h("p", { className: "lead" }, "Keys of this tenant. A key is shown once, when it is made; a revoked key is refused at once."),
    renderRevealed(),
    renderCreate(),
    tableOf("API keys", ["Name", "Prefix", "Created", "Last used", "Status", "Actions"], rows, "No keys.")
  ]
}
