/**
 * `switchboard/sinks`: where dispatches go. `HttpSink` signs and POSTs them to the agent
 * platform, `ServiceBindingSink` does the same through a Workers service binding, `LogSink`
 * logs them (development); `SessionSignature` verifies the signature on the receiving side.
 */
export * as HttpSink from "./HttpSink.ts"
export * as LogSink from "./LogSink.ts"
export * as ServiceBindingSink from "./ServiceBindingSink.ts"
export * as SessionSignature from "./SessionSignature.ts"
