// The types of mcp-server.mjs, which scripts/build-worker-chunks.ts bundles from this module.
export { make } from "../../../kernel/mcp/McpServer.ts"
