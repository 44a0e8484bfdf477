/// <reference types="../../adapters/sqlite/drivers/runtime-modules.d.ts" />
/**
 * The bare Deno baseline for the cold-start bench: Deno.serve, a Linear-style HMAC checked with
 * Web Crypto before parsing, the row inserted into a node:sqlite file. PORT, SECRET, DATABASE.
 */
import { DatabaseSync } from "node:sqlite"

interface DenoServe {
  readonly serve: (options: { readonly port: number; readonly hostname: string; readonly onListen: () => void }, handler: (request: Request) => Promise<Response>) => unknown
  readonly env: { readonly get: (name: string) => string | undefined }
}
const Deno = (globalThis as unknown as { readonly Deno: DenoServe }).Deno

const db = new DatabaseSync(Deno.env.get("DATABASE") ?? ":memory:")
db.prepare("PRAGMA journal_mode = WAL").all()
db.prepare("CREATE TABLE IF NOT EXISTS events (delivery_id TEXT PRIMARY KEY, body TEXT NOT NULL, received_at INTEGER NOT NULL)").all()
const insert = db.prepare("INSERT OR IGNORE INTO events VALUES (?, ?, ?)")
const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(Deno.env.get("SECRET") ?? ""), { name: "HMAC", hash: "SHA-256" }, false, ["verify"])
const hexBytes = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16))

Deno.serve({ port: Number(Deno.env.get("PORT")), hostname: "127.0.0.1", onListen: () => {} }, async (request) => {
  const body = new Uint8Array(await request.arrayBuffer())
  const valid = await crypto.subtle.verify("HMAC", key, hexBytes(request.headers.get("linear-signature") ?? ""), body)
  if (!valid) return new Response("bad signature", { status: 401 })
  const text = new TextDecoder().decode(body)
  JSON.parse(text)
  insert.all(request.headers.get("linear-delivery") ?? "", text, Date.now())
  return Response.json({ ok: true })
})
