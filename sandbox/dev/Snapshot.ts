/**
 * Keeps a fake's in-memory state across restarts of the dev command, so an installation made
 * yesterday still has tokens the fake honours today. The state of a fake is plain data: Maps,
 * Sets, arrays, records, strings and numbers. Maps are written as `{ "$map": [[key, value] ...] }`
 * and Sets as `{ "$set": [...] }`; functions (the clock) and the fields named in `skip` (logs,
 * settings that come from the options) are neither written nor restored. Restoring fills the
 * live state in place, field by field (records too, property by property), so the fake's own
 * references to its Maps and records stay valid; a field of another kind than the live one is
 * left alone (a snapshot from an older fake). Values that are not data (a CryptoKey) come back
 * as `{}`: the fake's adapter rebuilds them.
 */

const MAP_KEY = "$map"
const SET_KEY = "$set"

const replacer = (_key: string, value: unknown): unknown => {
  if (value instanceof Map) return { [MAP_KEY]: [...value.entries()] }
  if (value instanceof Set) return { [SET_KEY]: [...value] }
  if (typeof value === "function") return undefined
  return value
}

const isMapEncoding = (value: unknown): value is { readonly [MAP_KEY]: ReadonlyArray<readonly [unknown, unknown]> } =>
  typeof value === "object" && value !== null && MAP_KEY in value && Array.isArray(value[MAP_KEY])

const isSetEncoding = (value: unknown): value is { readonly [SET_KEY]: ReadonlyArray<unknown> } =>
  typeof value === "object" && value !== null && SET_KEY in value && Array.isArray(value[SET_KEY])

const reviver = (_key: string, value: unknown): unknown =>
  isMapEncoding(value)
    ? new Map(value[MAP_KEY].map(([key, entry]) => [key, entry]))
    : isSetEncoding(value)
    ? new Set(value[SET_KEY])
    : value

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null

const isPlainRecord = (value: unknown): value is Record<string, unknown> =>
  isRecord(value) && !Array.isArray(value) && !(value instanceof Map) && !(value instanceof Set) &&
  Object.getPrototypeOf(value) === Object.prototype

export const snapshotOf = (state: object, skip: ReadonlyArray<string>): string => {
  const kept = Object.fromEntries(Object.entries(state).filter(([key]) => !skip.includes(key)))
  return JSON.stringify(kept, replacer)
}

export const restoreInto = (state: object, snapshot: string, skip: ReadonlyArray<string>): void => {
  const parsed: unknown = JSON.parse(snapshot, reviver)
  if (!isRecord(parsed)) return
  for (const [key, saved] of Object.entries(parsed)) {
    if (skip.includes(key) || !(key in state)) continue
    const live: unknown = Reflect.get(state, key)
    if (live instanceof Map && saved instanceof Map) {
      live.clear()
      for (const [entryKey, entry] of saved) live.set(entryKey, entry)
    } else if (live instanceof Set && saved instanceof Set) {
      live.clear()
      for (const entry of saved) live.add(entry)
    } else if (Array.isArray(live) && Array.isArray(saved)) {
      live.splice(0, live.length, ...saved)
    } else if (isPlainRecord(live) && isPlainRecord(saved)) {
      Object.assign(live, saved)
    } else if (typeof live === typeof saved && (typeof saved === "number" || typeof saved === "boolean" || typeof saved === "string")) {
      Reflect.set(state, key, saved)
    }
  }
}
