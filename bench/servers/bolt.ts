/**
 * Slack Bolt's HTTP receiver on Node: verifies the `v0` signature and its timestamp, parses the
 * event callback, acknowledges and runs the `app_mention` listener (which does nothing). No
 * storage, no Web API call.
 */
import { createRequire } from "node:module"

// Bolt is CommonJS and Node's ESM loader does not see its re-exported classes: required instead.
const { App, HTTPReceiver, LogLevel }: typeof import("@slack/bolt") = createRequire(import.meta.url)("@slack/bolt")

const receiver = new HTTPReceiver({ signingSecret: process.env["SECRET"] ?? "", endpoints: "/slack/events" })
// An authorize function of its own: with a bare token Bolt calls auth.test before each first event.
const authorize = async () => ({ botToken: "xoxb-bench", botId: "B0BENCHBOT", botUserId: "U0BENCHBOT" })
const app = new App({ receiver, authorize, logLevel: LogLevel.ERROR })
app.event("app_mention", async () => {})
void app.start(Number(process.env["PORT"]))
