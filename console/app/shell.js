// The shell: sign in, navigation, drawing a view, refreshing, reading the address.
import { api, loadAll, loadSandbox } from "./api.js"
import { announce, fail, h, replace, resetIds } from "./dom.js"
import { renderIntegrations } from "./integrations.js"
import { renderKeys } from "./keys.js"
import { renderDeliveries, renderInstallations, renderSessions, settleReplay } from "./lists.js"
import { loadOverview, renderOverview, updateOverview } from "./overview.js"
import { renderPublications } from "./publications.js"
import { refreshSimulations } from "./sandbox.js"
import { KEY_STORAGE, REFRESH_MS, VIEWS, state } from "./state.js"

// ---------------------------------------------------------------- sign in

export function signOut(message) {
  sessionStorage.removeItem(KEY_STORAGE)
  state.key = null
  state.revealedKey = null
  stopRefresh()
  render()
  if (message) announce(message, "error")
}

export function renderSignIn() {
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

// ---------------------------------------------------------------- shell

export const renderers = {
  integrations: renderIntegrations,
  installations: renderInstallations,
  publications: renderPublications,
  deliveries: renderDeliveries,
  sessions: renderSessions,
  overview: renderOverview,
  keys: renderKeys
}

// The current view's link would not change the hash: show the view again, focus on its title.
export const followNav = (view) => (event) => {
  if (event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return
  event.preventDefault()
  navigate(view)
}

export function renderNav() {
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
export function controlsOf(app) {
  const open = [...app.querySelectorAll("details[open]")].map((element) => element.id)
  const values = [...app.querySelectorAll("input[id], select[id]")].map((element) => [element.id, element.type === "checkbox" ? element.checked : element.value])
  return { open, values }
}

export function restoreControls(controls) {
  for (const id of controls.open) document.getElementById(id)?.setAttribute("open", "")
  for (const [id, value] of controls.values) {
    const element = document.getElementById(id)
    if (!element) continue
    if (element.type === "checkbox") element.checked = value
    else element.value = value
  }
}

export function render(options = {}) {
  resetIds()
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

export function navigate(view) {
  if (location.hash !== `#${view}`) location.hash = view
  else show(view)
}

export function show(view, focus = true) {
  state.view = renderers[view] ? view : "integrations"
  if (state.view !== "publications") state.editing = null
  if (state.view !== "keys") state.revealedKey = null
  render()
  if (focus) document.getElementById("view-title")?.focus()
  // The Overview's data is loaded only while it shows; it draws once the data is there.
  if (state.view === "overview") {
    loadOverview().then(() => {
      if (state.view === "overview") render({ preserve: true })
    }, fail)
  }
}

export async function refresh() {
  await loadAll()
  settleReplay()
  await refreshSimulations()
  if (state.view === "overview") await loadOverview()
}

// Forms being filled in are not redrawn under the user's hands; lists are.
export const quietView = () => ["deliveries", "sessions", "installations", "integrations"].includes(state.view)

export function startRefresh() {
  stopRefresh()
  state.timer = setInterval(async () => {
    if (document.hidden || !state.key) return
    const typing = document.activeElement?.matches?.("input, select, textarea")
    try {
      await refresh()
      // The Overview's charts take the new minutes in place.
      if (state.view === "overview") {
        if (!updateOverview()) render({ preserve: true })
      } else if (quietView() && !typing) render({ preserve: true })
    } catch {
      // A failed refresh is retried on the next tick; explicit actions report errors.
    }
  }, REFRESH_MS)
}

export function stopRefresh() {
  if (state.timer) clearInterval(state.timer)
  state.timer = null
}

export async function start() {
  try {
    await Promise.all([loadAll(), loadSandbox()])
  } catch (error) {
    fail(error)
    return
  }
  show(location.hash.slice(1) || "integrations", false)
  startRefresh()
}

export function readLocation() {
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
