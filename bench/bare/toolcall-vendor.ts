/**
 * The fake vendor both tool-call subjects call: Linear's GraphQL endpoint answering every query
 * with the same two teams (what `list_teams` asks for). Bun.serve on PORT; any bearer token.
 */
interface BunServe {
  readonly serve: (options: { readonly port: number; readonly hostname: string; readonly fetch: (request: Request) => Promise<Response> }) => unknown
}
const Bun = (globalThis as unknown as { readonly Bun: BunServe }).Bun

const state = (id: string, name: string, type: string, position: number) => ({ id, name, type, position })
const body = JSON.stringify({
  data: {
    teams: {
      nodes: [
        { id: "team-1", key: "ENG", name: "Engineering", states: { nodes: [state("s-1", "Todo", "unstarted", 1), state("s-2", "In Progress", "started", 2), state("s-3", "Done", "completed", 3)] } },
        { id: "team-2", key: "OPS", name: "Operations", states: { nodes: [state("s-4", "Todo", "unstarted", 1), state("s-5", "Done", "completed", 2)] } }
      ]
    }
  }
})

Bun.serve({
  port: Number(process.env["PORT"]),
  hostname: "127.0.0.1",
  fetch: async (request) => {
    await request.arrayBuffer()
    return new Response(body, { headers: { "content-type": "application/json" } })
  }
})
