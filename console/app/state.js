// The Console's state: the key, the view, what the API last answered.

export const KEY_STORAGE = "switchboard.apiKey"
export const VIEWS = [
  ["integrations", "Integrations"],
  ["installations", "Installations"],
  ["publications", "Publications"],
  ["deliveries", "Deliveries"],
  ["sessions", "Sessions"],
  ["overview", "Overview"],
  ["keys", "API keys"]
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
  apiKeys: [],
  // The Overview's data (GET /v1/overview) and this tenant's refused webhooks, loaded while it shows.
  overview: null,
  rejected: [],
  // A key just created, shown once in the Keys view and forgotten when it is left.
  revealedKey: null,
  sandbox: null,
  simulations: [],
  // A replay whose outcome the status line waits for: { id, label }.
  replaying: null,
  registrationDrafts: {},
  editing: null,
  preselect: null,
  timer: null
}
