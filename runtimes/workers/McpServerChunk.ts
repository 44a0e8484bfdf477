/**
 * What the Worker bundle has in place of kernel/mcp/McpServer.ts (wrangler.toml's `[alias]`):
 * the same `make`, loading the prebuilt chunk (scripts/build-worker-chunks.ts) on first use. The
 * chunk is a module of its own, so an isolate that never serves `/mcp` never parses the MCP SDK.
 */
import type { McpServerHandler } from "../../kernel/mcp/McpServer.ts"

export const make = (options: { readonly maxBodyBytes: number }): Promise<McpServerHandler> =>
  import("./chunks/mcp-server.mjs").then((chunk) => chunk.make(options))
