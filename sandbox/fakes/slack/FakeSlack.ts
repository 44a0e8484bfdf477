/**
 * A local fake of Slack for tests and the dev sandbox: OAuth v2 (`FakeSlackOAuth.ts`), the Web
 * API methods the provider uses, file uploads, and test controls (`FakeSlackControl.ts`), as
 * one runtime-neutral web handler `(request: Request) => Promise<Response>` over in-memory
 * state. Serve it with `test/support/serve.ts` (Node) or any runtime's `serve`, and point the
 * provider at it: SLACK_API_URL = `<fake>/api`, SLACK_OAUTH_URL = `<fake>`.
 *
 * | route | what |
 * |---|---|
 * | `GET /oauth/v2/authorize` | consent page (or, with auto-approval, straight back with a code) |
 * | `GET|POST /oauth/v2/authorize/approve` | approve (`decision=deny` to refuse) |
 * | `POST /api/oauth.v2.access` | code and refresh grants |
 * | `POST /api/<method>` | auth.test, auth.revoke, chat.postMessage, chat.update, reactions.add, reactions.remove, conversations.history, conversations.replies, users.info, users.conversations, files.getUploadURLExternal, files.completeUploadExternal |
 * | `POST /upload/v1/<file id>` | the upload URL `files.getUploadURLExternal` hands out |
 * | `/_fake/...` | controls for out-of-process tests (`FakeSlackControlRoutes.ts`) |
 *
 * It is test tooling: the controls are unauthenticated; never deploy it.
 */
import { consentRoutes } from "../../kit/FakeConsent.ts"
import { defineFake, type Fake } from "../../kit/FakeVendor.ts"
import * as Chat from "./FakeSlackChat.ts"
import { type FakeSlackControl, makeControl } from "./FakeSlackControl.ts"
import { controlRoutes } from "./FakeSlackControlRoutes.ts"
import * as Conversations from "./FakeSlackConversations.ts"
import * as Directory from "./FakeSlackDirectory.ts"
import * as Files from "./FakeSlackFiles.ts"
import * as OAuth from "./FakeSlackOAuth.ts"
import * as State from "./FakeSlackState.ts"
import * as Web from "./FakeSlackWeb.ts"

export type { FakeSlackControl } from "./FakeSlackControl.ts"

export type FakeSlack = Fake<FakeSlackControl>

type Method = (state: State.FakeSlackState, token: State.FakeAccessToken, args: Web.Arguments, origin: string) => Web.Answer

/** Each method and the scopes Slack lists for it (the `X-Accepted-OAuth-Scopes` header). */
const METHODS: ReadonlyMap<string, readonly [Method, ReadonlyArray<string>]> = new Map<string, readonly [Method, ReadonlyArray<string>]>([
  ["auth.test", [(state, token) => Directory.authTest(state, token), []]],
  ["auth.revoke", [(_state, token) => Directory.authRevoke(token), []]],
  ["chat.postMessage", [Chat.postMessage, ["chat:write"]]],
  ["chat.update", [Chat.update, ["chat:write"]]],
  ["reactions.add", [Chat.addReaction, ["reactions:write"]]],
  ["reactions.remove", [Chat.removeReaction, ["reactions:write"]]],
  ["conversations.history", [Conversations.history, Object.values(Conversations.HISTORY_SCOPES)]],
  ["conversations.replies", [Conversations.replies, Object.values(Conversations.HISTORY_SCOPES)]],
  ["users.info", [Directory.usersInfo, ["users:read"]]],
  ["users.conversations", [Directory.usersConversations, ["channels:read", "groups:read", "im:read", "mpim:read"]]],
  ["files.getUploadURLExternal", [Files.getUploadUrl, ["files:write"]]],
  ["files.completeUploadExternal", [Files.completeUpload, ["files:write"]]]
])

const webApi = async (state: State.FakeSlackState, request: Request, name: string, origin: string): Promise<Response> => {
  const entry = METHODS.get(name)
  const call = await Web.parseCall(name, request)
  if (entry === undefined) return Web.respond(state, call, Web.fail("unknown_method"), { granted: [], accepted: [] })
  const limited = Web.rateLimited(state, call)
  if (limited !== null) return limited
  const [method, accepted] = entry
  const token = Web.authenticate(state, call)
  if (Web.isAnswer(token)) return Web.respond(state, call, token, { granted: [], accepted })
  return Web.respond(state, call, method(state, token, call.args, origin), { granted: token.scopes, accepted })
}

export const makeFakeSlack: (options?: State.FakeSlackOptions) => FakeSlack = defineFake({
  name: "Slack",
  makeState: (options: State.FakeSlackOptions = {}) => State.makeState(options),
  makeControl,
  routes: (state) => [
    ...consentRoutes(OAuth.consent(state), { authorize: "/oauth/v2/authorize", approve: "/oauth/v2/authorize/approve" }),
    ["POST", "/api/oauth.v2.access", async ({ request }) => {
      const answer = await OAuth.access(state, request)
      return answer._tag === "Ok" ? Web.json(200, { ok: true, ...answer.body }) : Web.json(200, { ok: false, error: answer.error })
    }],
    ["*", "/api/:method*", ({ params, request, url }) => webApi(state, request, params["method"] ?? "", url.origin)],
    ["POST", `${Files.UPLOAD_PATH}:fileId*`, ({ params, request }) => Files.receiveBytes(state, request, params["fileId"] ?? "")]
  ],
  notFound: ({ path, request }) => Web.json(404, { ok: false, error: `the fake Slack has no ${request.method} ${path}` }),
  controls: controlRoutes
})
