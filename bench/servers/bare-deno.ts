/**
 * The bare Deno limit: Deno.serve, Web Crypto HMAC-SHA256 over the raw body (key imported once),
 * JSON parse, one prepared `node:sqlite` insert into a WAL file (synchronous=NORMAL), then 200.
 */
/// <reference types="../../adapters/sqlite/drivers/runtime-modules.d.ts" />
import { DatabaseSync } from "node:sqlite"

/** The slice of Deno's global used here (tsc runs without Deno's types). */
declare const Deno: {
  readonly env: { readonly toObject: () => Record<string, string> }
  readonly serve: (
    options: { readonly port: number; readonly hostname: string; readonly onListen: () => void },
    handler: (request: Request) => Promise<Response>
  ) => unknown
}

const env = Deno.env.toObject()
const db = new DatabaseSync(env["DATABASE"] ?? ":memory:")
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
db.exec("CREATE TABLE IF NOT EXISTS events (delivery_id TEXT PRIMARY KEY, event TEXT NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL)")
const insert = db.prepare("INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?)")
const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(env["SECRET"] ?? ""), { name: "HMAC", hash: "SHA-256" }, false, ["verify"])
const decoder = new TextDecoder()

const fromHex = (hex: string) => {
  const bytes = new Uint8Array(hex.length / 2)
  for (let index = 0; index < bytes.length; index++) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16)
  return bytes
}

Deno.serve({ port: Number(env["PORT"]), hostname: "127.0.0.1", onListen: () => {} }, async (request) => {
  if (request.method !== "POST") return new Response("ok")
  const body = new Uint8Array(await request.arrayBuffer())
  const signature = (request.headers.get("x-hub-signature-256") ?? "").slice("sha256=".length)
  if (signature.length !== 64 || !(await crypto.subtle.verify("HMAC", key, fromHex(signature), body))) {
    return new Response("bad signature", { status: 401 })
  }
  const text = decoder.decode(body)
  JSON.parse(text)
  insert.run(request.headers.get("x-github-delivery"), request.headers.get("x-github-event"), text, Date.now())
  return Response.json({ ok: true })
})
