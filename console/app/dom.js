// DOM helpers: nodes from `h`, never from HTML strings; tables; status messages.

// ---------------------------------------------------------------- DOM helpers

export function h(tag, attributes, ...children) {
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

export function append(element, ...children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue
    element.append(child instanceof Node ? child : document.createTextNode(String(child)))
  }
  return element
}

export function replace(element, ...children) {
  element.replaceChildren()
  return append(element, ...children)
}

let idCounter = 0
export const uid = (prefix) => `${prefix}-${++idCounter}`
/** Ids come from a counter reset on each redraw, so the same view gets the same ids again. */
export const resetIds = () => {
  idCounter = 0
}

export const time = (ms) => (ms ? new Date(ms).toLocaleString() : "")
export const shortTime = (ms) => (ms ? new Date(ms).toLocaleTimeString() : "")

export function badge(status) {
  return h("span", { className: `badge badge-${String(status).replace(/[^a-z]/gi, "")}` }, status)
}

export function tableOf(caption, headers, rows, empty) {
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

export function announce(message, kind = "info") {
  const status = document.getElementById("status")
  replace(status, message ? h("p", { className: `notice notice-${kind}` }, message) : null)
}

export function fail(error) {
  announce(error instanceof Error ? error.message : String(error), "error")
}
