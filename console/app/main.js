// The Switchboard Console: plain modern JavaScript modules, no framework and no build step (see
// console/build.ts for how they are embedded). It speaks only the management API with the tenant
// API key, entered once and kept in sessionStorage (never in a URL: install links use short-lived
// tickets). This module boots it.
import { announce } from "./dom.js"
import { readLocation, render, show, signOut, start } from "./shell.js"
import { KEY_STORAGE, state } from "./state.js"

// The API client reports a refused key; signing out shows why.
window.addEventListener("switchboard:unauthorized", (event) => signOut(event.detail))

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
