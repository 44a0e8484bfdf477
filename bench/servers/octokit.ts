/**
 * The `@octokit/webhooks` peer on Node: its Node middleware verifies the signature and routes
 * `issue_comment` to a handler that does nothing. No storage: what users compare a receiver with.
 */
import { createNodeMiddleware, Webhooks } from "@octokit/webhooks"
import { createServer } from "node:http"

const webhooks = new Webhooks({ secret: process.env["SECRET"] ?? "" })
webhooks.on("issue_comment", () => {})
const middleware = createNodeMiddleware(webhooks, { path: "/webhook/github" })

createServer((request, response) => {
  if (request.method !== "POST") return void response.end("ok")
  void middleware(request, response)
}).listen(Number(process.env["PORT"]), "127.0.0.1")
