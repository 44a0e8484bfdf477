// The Console's state: the key, the view, what the API last answered.

export const KEY_STORAGE = "switchboard.apiKey"
export const VIEWS = [
  ["integrations", "Integrations"],
  ["installations", "Installations"],
  ["publications", "Publications"],
  ["deliveries", "Deliveries"],
  ["sessions", "Sessions"]
]
export const REFRESH_MS = 3000

export const state = {
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
  registrationDrafts: {},
  editing: null,
  preselect: null,
  timer: null
}
