/**
 * The bare Node baseline for the cold-start bench: node:http, a Linear-style HMAC checked with
 * Web Crypto before parsing, the row inserted into a better-sqlite3 file. PORT, SECRET, DATABASE.
 * Plain JavaScript: Node 20 runs TypeScript only through a loader, and a bare server has none.
 */
import Database from "better-sqlite3"
import { createServer } from "node:http"

const db = new Database(process.env.DATABASE ?? ":memory:")
db.pragma("journal_mode = WAL")
db.exec("CREATE TABLE IF NOT EXISTS events (delivery_id TEXT PRIMARY KEY, body TEXT NOT NULL, received_at INTEGER NOT NULL)")
const insert = db.prepare("INSERT OR IGNORE INTO events VALUES (?, ?, ?)")
const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(process.env.SECRET ?? ""), { name: "HMAC", hash: "SHA-256" }, false, ["verify"])

createServer(async (request, response) => {
  const chunks = []
  for await (const chunk of request) chunks.push(chunk)
  const body = Buffer.concat(chunks)
  const valid = await crypto.subtle.verify("HMAC", key, Buffer.from(String(request.headers["linear-signature"] ?? ""), "hex"), body)
  if (!valid) {
    response.writeHead(401).end("bad signature")
    return
  }
  const text = body.toString("utf8")
  JSON.parse(text)
  insert.run(String(request.headers["linear-delivery"]), text, Date.now())
  response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}')
}).listen(Number(process.env.PORT), "127.0.0.1")
