/**
 * What a fake's own address answers in a browser (the dev command prints it): which fake this
 * is, what it serves, and the way to the Console, instead of the API's 404 JSON.
 */
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`)

export const fakeIndexPage = (displayName: string, consoleUrl: string): Response => {
  const name = escapeHtml(displayName)
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox: fake ${name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: system-ui, sans-serif; max-width: 36rem; margin: 4rem auto; padding: 0 1rem">
<h1>Sandbox: fake ${name}</h1>
<p>This is the dev command's local stand-in for ${name}: its API and its OAuth consent page, reached by
Switchboard through the same code as the real ${name}. There is nothing to do here directly:
install ${name} from the Console, and this fake's consent page opens on its own.</p>
<p>What the agent wrote shows in the Console, under each simulated event.</p>
<p><a href="${escapeHtml(consoleUrl)}">Open the Switchboard Console</a></p>
</body></html>`
  return new Response(html, {
    status: 200,
    headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'", "cache-control": "no-store" }
  })
}

/** The fake's handler, with its index page at `/` where the fake itself has nothing there. */
export const withIndexPage = (
  handler: (request: Request) => Promise<Response>,
  displayName: string,
  consoleUrl: string
) =>
async (request: Request): Promise<Response> => {
  const response = await handler(request)
  if (request.method !== "GET" || new URL(request.url).pathname !== "/" || response.status !== 404) return response
  await response.body?.cancel()
  return fakeIndexPage(displayName, consoleUrl)
}
