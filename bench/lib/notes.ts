/**
 * What holds each missed target back, from CPU profiles of the servers under this load
 * (`bun --cpu-prof`, `node --cpu-prof`) and per-statement timings of the SQLite driver, taken on
 * the commits of issue 14. Printed beside the figures when a target is missed.
 */
export const NOTES = {
  bun: "Per request, Switchboard does what bare does plus: a routing read of the installation by account (a SQL " +
    "statement through Effect's SqlClient, ~25% of the CPU with the insert), a second Web Crypto pass over the body " +
    "for the replay digest (HMAC verify + SHA-256 ~13%), the envelope's Schema decode, the stored headers, and the " +
    "Effect runtime around each step (~25%: fibers, the SqlClient's lease and bounded wait per statement). Group " +
    "commit writes ~7 rows per statement; the insert itself is no longer the gap. The access log line (on by " +
    "default) costs ~60-80 us per request: the bench runs with it, SWITCHBOARD_ACCESS_LOG=errors saves it.",
  node: "As on Bun, and Node's Web Crypto is a thread-pool job per call (two per request: ~9% of the CPU), plus the " +
    "node:http to web Request/Response conversion of the Node entry and its garbage (~10% GC).",
  deno: "As on Bun: the routing read, the digest and the Effect runtime per request.",
  dispatch: "Each dispatched event costs ~2.5 ms of CPU, most of it synchronous SQLite: marking the event dispatched " +
    "rewrites its whole row with the 8 KB body (~0.6 ms), the outbox entry carries the 8 KB prompt (~0.6 ms), then " +
    "the session binding, the claim and the delivered mark; the sink's signed HTTP call and the Schema decode of " +
    "the full payload come on top. The dispatch runs on the same event loop and database connection as ingest.",
  scale: "On a shared machine req/s swings between passes; the CPU per request (the server's own accounting) is the " +
    "steadier figure to compare."
} as const
