/// <reference types="../../adapters/sqlite/drivers/runtime-modules.d.ts" />
/**
 * The bare Bun baseline for the cold-start bench: Bun.serve, a Linear-style HMAC checked with
 * Web Crypto before parsing, the row inserted into a bun:sqlite file. PORT, SECRET, DATABASE.
 */
import { Database } from "bun:sqlite"

interface BunServe {
  readonly serve: (options: { readonly port: number; readonly hostname: string; readonly fetch: (request: Request) => Promise<Response> }) => unknown
}
const Bun = (globalThis as unknown as { readonly Bun: BunServe }).Bun

const db = new Database(process.env["DATABASE"] ?? ":memory:")
db.prepare("PRAGMA journal_mode = WAL").all()
db.prepare("CREATE TABLE IF NOT EXISTS events (delivery_id TEXT PRIMARY KEY, body TEXT NOT NULL, received_at INTEGER NOT NULL)").all()
const insert = db.prepare("INSERT OR IGNORE INTO events VALUES (?, ?, ?)")
const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(process.env["SECRET"] ?? ""), { name: "HMAC", hash: "SHA-256" }, false, ["verify"])
const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16))

Bun.serve({
  port: Number(process.env["PORT"]),
  hostname: "127.0.0.1",
  fetch: async (request) => {
    const body = new Uint8Array(await request.arrayBuffer())
    const valid = await crypto.subtle.verify("HMAC", key, hexBytes(request.headers.get("linear-signature") ?? ""), body)
    if (!valid) return new Response("bad signature", { status: 401 })
    const text = new TextDecoder().decode(body)
    JSON.parse(text)
    insert.all(request.headers.get("linear-delivery"), text, Date.now())
    return Response.json({ ok: true })
  }
})
