/**
 * Which of the conformance suite's server scenarios apply to Switchboard's `/mcp`, a tools-only,
 * stateless server whose tools are its providers' (`mcp_<provider>_<tool>`), and why the others
 * do not. A scenario missing from `notApplicable` is applicable: a new one in a later suite must
 * pass or be added here with its reason.
 */

const fixtureTool = (tool: string) =>
  `calls the suite's fixture tool ${tool}; Switchboard serves only its providers' tools (tool results and errors are covered by test/mcp/clients.test.ts)`

const noCapability = (what: string) => `exercises ${what}, a capability this tools-only server does not declare`

const needsSession = (what: string) =>
  `needs ${what}, which need a session or a server-to-client channel; the endpoint is stateless and answers each POST with one JSON body`

export const notApplicable: Readonly<Record<string, string>> = {
  "logging-set-level": noCapability("logging/setLevel (logging)"),
  "completion-complete": noCapability("completion/complete (completions of prompt and resource-template arguments)"),
  "tools-call-simple-text": fixtureTool("test_simple_text"),
  "tools-call-image": fixtureTool("test_image_content"),
  "tools-call-audio": fixtureTool("test_audio_content"),
  "tools-call-embedded-resource": fixtureTool("test_embedded_resource"),
  "tools-call-mixed-content": fixtureTool("test_multiple_content_types"),
  "tools-call-with-logging": `${fixtureTool("test_tool_with_logging")}; it also ${needsSession("mid-call log notifications")}`,
  "tools-call-error": fixtureTool("test_error_handling"),
  "tools-call-with-progress": `${fixtureTool("test_tool_with_progress")}; it also ${needsSession("mid-call progress notifications")}`,
  "tools-call-sampling": `${fixtureTool("test_sampling")}; it also ${needsSession("server-to-client sampling requests")}`,
  "tools-call-elicitation": `${fixtureTool("test_elicitation")}; it also ${needsSession("server-to-client elicitation requests")}`,
  "json-schema-2020-12": fixtureTool("json_schema_2020_12_tool"),
  "elicitation-sep1034-defaults": `${fixtureTool("test_elicitation_sep1034_defaults")}; it also ${needsSession("server-to-client elicitation requests")}`,
  "elicitation-sep1330-enums": `${fixtureTool("test_elicitation_sep1330_enums")}; it also ${needsSession("server-to-client elicitation requests")}`,
  "server-sse-polling": needsSession("SSE streams resumed with GET and Last-Event-ID (and the fixture tool test_reconnection)"),
  "server-sse-multiple-streams": needsSession("several concurrent SSE streams (GET)"),
  "resources-list": noCapability("resources"),
  "resources-read-text": noCapability("resources"),
  "resources-read-binary": noCapability("resources"),
  "resources-templates-read": noCapability("resource templates"),
  "resources-subscribe": noCapability("resource subscriptions"),
  "resources-unsubscribe": noCapability("resource subscriptions"),
  "prompts-list": noCapability("prompts"),
  "prompts-get-simple": noCapability("prompts"),
  "prompts-get-with-args": noCapability("prompts"),
  "prompts-get-embedded-resource": noCapability("prompts"),
  "prompts-get-with-image": noCapability("prompts")
}
