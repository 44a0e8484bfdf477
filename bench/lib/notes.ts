/**
 * What holds each missed target back, from CPU profiles of the servers under this load
 * (`bun --cpu-prof`, `node --cpu-prof`) and per-statement timings of the SQLite driver, taken on
 * the commits of issue 14. Printed beside the figures when a target is missed.
 */
export const NOTES = {
  bun: "The webhook lane (kernel/webhooks/WebhookLane.ts) acknowledges the delivery in plain code and group-commits " +
    "the rows of each event-loop turn (about 30 per statement under this load); a worker thread checkpoints SQLite's " +
    "log (adapters/sqlite/WalCheckpointer.ts), so the serving thread no longer copies and syncs pages inside its " +
    "commits (that was about half of its SQLite time). In a CPU profile of the serving thread under this load the " +
    "insert is ~40%: an 8 KB row into five b-trees, two of them on random keys (the delivery id and the body digest, " +
    "both needed for dedupe), where the bare table has one, its key the delivery id. The bench's delivery ids are " +
    "GUIDs, random as GitHub's are, since December 2026; before, they counted up and every server appended them to its " +
    "index, cheaper than real traffic: four interleaved runs of two passes here, counting against GUIDs, bare Bun " +
    "9,076 and 8,864 req/s at 103 and 106 us a request against 7,198 and 7,309 at 119 and 118, Switchboard 9,151 and " +
    "9,527 at 130 and 125 against 7,747 and 7,571 at 148 and 152 (CPU 1.18-1.26 times the bare's against 1.24-1.29, " +
    "p99 1.12-1.14 against 1.37-1.44; @octokit/webhooks stores nothing, so the peer's figure did not move). The statement alone (bun:sqlite, 30-row groups of the " +
    "bench's row, December 2026) costs ~80-95 us a row against the bare insert's ~50-60, and without the digest's " +
    "index ~60; in the server under this load, three alternating pairs, the same database without that index took " +
    "~7,200 -> ~9,000 req/s and ~177 -> ~149 us of CPU a request. That index is the replay guard (a body signed once " +
    "and sent again under a new delivery id is a duplicate) and its key is random, so every row dirties a page of it " +
    "that the commit writes to the log and the checkpoint copies, as the bare table's delivery id does. Kept: it is a " +
    "guarantee. (Storing the digest as 32 bytes instead of 64 hex characters " +
    "saved ~7 us a row in the statement alone, but every stored row would need rewriting, or replays of bodies stored " +
    "before would pass; a larger page cache made it slower; reading the file through a memory map, SQLite's mmap_size, " +
    "took ~4-7% off the statement alone, but in the server, eight alternating pairs, CPU a request was the same with " +
    "and without it (median ~135 us) and the peak RSS ~140 MB higher, the mapped pages of the file: not kept.) " +
    "Timed in place under this load (December 2026, Bun.nanoseconds around each step, 60,000 requests): receiving ~35 us " +
    "(the signature ~12, decode and parse ~12, the replay digest ~6.6, the envelope ~2.5, the Effect run ~4), the group " +
    "statement ~66 us a row, the answer with its access line ~10. The decode and the parse cost the same as in the bare " +
    "server timed the same way (~3.2 against ~3.7 us, ~8.5 against ~8.6): Bun's sampling profile showed them at ~8% each " +
    "against the bare's ~1 and ~2 only because its sampler charges them time that is not theirs (the body is decoded " +
    "leniently and strictly only when the text holds U+FFFD, which took ~9 us a request off), " +
    "the access line (~1.5 us of CPU a line, the bare server " +
    "logs nothing; written in batches, one write a turn, since December 2026), the " +
    "signature and the replay digest ~4%; the routing read (~8% when it ran per delivery) runs once a round per " +
    "vendor account since December 2026 (~4 us a request less). CPU per request counts the checkpointing worker's too (it goes round after " +
    "round while the log grows, so that the log starts over between two commits: that took the p99 from ~38 ms to " +
    "~14, since before it the log grew to the backstop and the serving thread checkpointed inside a commit).",
  node: "As on Bun (the lane, the checkpointing worker, on a worker_threads thread since this round: 0.64 -> 0.68 " +
    "in one run), served by node:http through @hono/node-server's listener: better-sqlite3's insert of the same row, " +
    "and Node's own HTTP parsing and web Request/Response objects, which cost more per request than Bun's (CPU per " +
    "request ~1.9x the bare server's, which answers from node:http's own objects). Log lines are written in batches, one " +
    "write a turn (runtimes/shared/stdoutLines.ts, December 2026): with the log in a file, as here, each line's own write " +
    "had waited behind SQLite's (six paired passes: ~284 -> ~251 us of CPU a request, p99 ~120 -> ~34 ms).",
  deno: "As on Bun (the lane, the checkpointing worker, log lines in batches: ~204 -> ~191 us a request in six paired " +
    "passes, December 2026). V8's sampler through the inspector under this load (December 2026): the statement through " +
    "node:sqlite ~32%; hashing ~14% (Deno's node:crypto: a SHA-256 of the 8 KB body ~6 us as on Node and Bun, but its " +
    "HMAC ~15 us against Node's ~8, its pads made in JavaScript over Buffer); JSON.parse ~6%; " +
    "the answer's six headers (the security headers every response carries) made native ~4%; the strict UTF-8 decode " +
    "was ~3.5 us more than the lenient one the kernel now uses. Deno runs the TypeScript entry: the same app bundled by " +
    "esbuild measured within 2% of it in six paired passes (December 2026), so it is not built.",
  dispatch: "A dispatched event's statements are group-committed with the other events' of the same event-loop turn " +
    "(binds, enqueues, status changes, delivered marks) and its reads shared (tenant, publications, session binding), a " +
    "create is written already claimed, the sink is one fetch and the token and signature are made in place. Timed per " +
    "statement in the driver under this load (December 2026, ~27,000 events): ~145 us of SQLite a dispatched event, of " +
    "which the claims of what waited for a slot ~54 (json_extract over the 8 KB dispatch for session order: real columns " +
    "made a claim of eight ~4 times cheaper alone, but need a migration that rewrites every outbox row), the outbox insert " +
    "of the 8 KB prompt ~36, marking the event decided ~23 and the entry delivered ~16 (each rewrites a row that carries " +
    "8 KB), the session bind ~9; the rest is the Effect runs around them (the background decision, a fiber per delivery, " +
    "its lease heartbeat and timeout, ~18 us of the two alone, its log line and metrics). Bodies and prompts in tables of " +
    "their own were tried (branch `bodies`): SQLite time per event -17%, but CPU per event only -6% and unrouted ingest " +
    "+13%, so they were not merged. Dispatch runs on the same event loop and database connection as ingest, at most " +
    "SWITCHBOARD_DISPATCH_CONCURRENCY (64) deliveries at once, so under this load it falls behind and catches up once the " +
    "load stops. A delivery mostly waits for the sink's answer, so the slots bound the dispatch rate: with 32 and a freed " +
    "slot not claiming again (only the poller's next pass did), the backlog sat still ~2 s after the load and drained in " +
    "6-8 s; since December 2026 (64 slots, freed slots claim what waits) it drains in ~2.5-3.7 s, for ~8% fewer webhooks " +
    "taken during the load than with 32 in paired runs (128 drained in under a second for a third fewer). What both " +
    "figures need together: at half the bare's req/s (~4,200) for the bench's 15 s of load, ~64,000 events ingested and " +
    "dispatched within 20 s on one event loop, so ~0.31 ms each, ingest (~0.15) included: a dispatch may cost ~0.16 ms. " +
    "During the drain one costs ~0.24 ms (15,546 in 3.65 s, decisions included), so it needs to be ~1.5 times cheaper " +
    "and to yield to ingest during the load, or to run on another core (a second process or a worker over the same " +
    "database), which the kernel does not do.",
  scale: "On a shared machine req/s swings between passes; the CPU per request (the server's own accounting) is the " +
    "steadier figure to compare."
} as const
