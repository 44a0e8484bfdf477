/**
 * What holds each missed target back, from CPU profiles of the servers under this load
 * (`bun --cpu-prof`, `node --cpu-prof`) and per-statement timings of the SQLite driver, taken on
 * the commits of issue 14. Printed beside the figures when a target is missed.
 */
export const NOTES = {
  bun: "Measured in process by cutting the pipeline after each step (Bun, ~205 us of CPU per delivery in all): " +
    "the app's request handling, the access line and the body read ~45 us; the signature, the replay digest (both " +
    "node:crypto, in place), the JSON parse and the envelope ~35 us; the routing read of the installation by account " +
    "~20 us; the group-committed insert ~90 us (SQLite ~60: an 8 KB row with four indexes, the dedupe ones on random " +
    "keys, against the bare server's one); what follows ~20 us. Bare does the HTTP, one HMAC, one parse and one " +
    "insert in ~75 us. Past the SQLite row, what is left is the Effect runtime spread over every step (fibers, " +
    "Context lookups, the SqlClient's lease per statement): no one step is large enough to cut.",
  node: "As on Bun, and on Node the server is Effect's node:http server around a web handler: each request is " +
    "converted to an undici Request (with an AbortSignal) and back, about 300 us of the ~700 us per request (the " +
    "kernel itself takes ~350 us in process on Node; a lighter node:http-to-fetch adapter measured 13% less CPU).",
  deno: "As on Bun: the insert, the routing read and the Effect runtime per request.",
  dispatch: "Each dispatched event costs ~2 ms of CPU: about 12 SQL statements (decide, enqueue with the 8 KB prompt, " +
    "the session binding, the claim, the delivered mark; marking the event decided rewrites its row with the 8 KB " +
    "body), each through Effect's SqlClient, then the session token, the sink's signed HTTP call and log lines. " +
    "Bodies and prompts in tables of their own were tried (branch `bodies`): SQLite time per event -17%, but CPU per " +
    "event only -6% and unrouted ingest +13%, so they were not merged. The dispatch runs on the same event loop and " +
    "database connection as ingest.",
  scale: "On a shared machine req/s swings between passes; the CPU per request (the server's own accounting) is the " +
    "steadier figure to compare."
} as const
