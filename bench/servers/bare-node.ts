/**
 * The bare Node limit: node:http, node:crypto HMAC-SHA256 over the raw body with a constant-time
 * compare, JSON parse, one prepared better-sqlite3 insert into a WAL file (synchronous=NORMAL),
 * then 200.
 */
import Database from "better-sqlite3"
import { createHmac, timingSafeEqual } from "node:crypto"
import { createServer } from "node:http"

const db = new Database(process.env["DATABASE"] ?? ":memory:")
db.pragma("journal_mode = WAL")
db.pragma("synchronous = NORMAL")
db.exec("CREATE TABLE IF NOT EXISTS events (delivery_id TEXT PRIMARY KEY, event TEXT NOT NULL, body TEXT NOT NULL, received_at INTEGER NOT NULL)")
const insert = db.prepare("INSERT OR IGNORE INTO events VALUES (?, ?, ?, ?)")
const secret = process.env["SECRET"] ?? ""

createServer((request, response) => {
  if (request.method !== "POST") return void response.end("ok")
  const chunks: Array<Buffer> = []
  request.on("data", (chunk: Buffer) => chunks.push(chunk))
  request.on("end", () => {
    const body = Buffer.concat(chunks)
    const given = Buffer.from(String(request.headers["x-hub-signature-256"] ?? "").slice("sha256=".length), "hex")
    const expected = createHmac("sha256", secret).update(body).digest()
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      response.writeHead(401).end("bad signature")
      return
    }
    const text = body.toString("utf8")
    JSON.parse(text)
    insert.run(String(request.headers["x-github-delivery"]), String(request.headers["x-github-event"]), text, Date.now())
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: true }))
  })
}).listen(Number(process.env["PORT"]), "127.0.0.1")
