/**
 * Runs `callback` on the next event-loop turn (a macrotask, whatever an Effect Clock says): what
 * group commits wait for, so that the requests already read reach the same statement.
 * `setImmediate` where the runtime has it (Bun, Deno, Node), else a zero timeout.
 */
export const nextTurn = (callback: () => void): void => {
  if (typeof setImmediate === "function") setImmediate(callback)
  else setTimeout(callback, 0)
}
