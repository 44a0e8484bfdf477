/**
 * The bare Bun limit: Bun.serve, Web Crypto HMAC-SHA256 over the raw body (key imported once),
 * JSON parse, one prepared `bun:sqlite` insert into a WAL file (synchronous=NORMAL, as
 * Switchboard's), then 200. What a hand-written handler does, and nothing more.
 */
import { Database } from "bun:sqlite"

interface BunGlobal {
  readonly serve: (options: { port: number; hostname: string; fetch: (request: Request) => Promise<Response> }) => unknown
}
const Bun = (globalThis as unknown as { readonly Bun: BunGlobal }).Bun

const db = new Database(process.env["DATABASE"] ?? ":memory:", { create: true })
db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL")
db.exec("CREATE TABLE IF NOT EXISTS events (delivery_id TEXT PRIMARY KEY, event TEXT NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL)")
const insert = db.prepare("INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?)")
const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(process.env["SECRET"] ?? ""), { name: "HMAC", hash: "SHA-256" }, false, ["verify"])
const decoder = new TextDecoder()

const fromHex = (hex: string) => {
  const bytes = new Uint8Array(hex.length / 2)
  for (let index = 0; index < bytes.length; index++) bytes[index] = parseInt(hex.slice(index * 2, index * 2 + 2), 16)
  return bytes
}

Bun.serve({
  port: Number(process.env["PORT"]),
  hostname: "127.0.0.1",
  fetch: async (request) => {
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
  }
})
