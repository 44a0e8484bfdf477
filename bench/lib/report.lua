-- Appended to every wrk script the bench writes (bench/lib/wrk.ts): one line of exact figures
-- (request count, duration and percentiles in microseconds, each kind of error) for the runner
-- to parse, rather than wrk's rounded human summary.
function done(summary, latency, requests)
  io.write(string.format(
    "BENCH {\"requests\":%d,\"durationUs\":%d,\"p50Us\":%d,\"p99Us\":%d,\"status\":%d,\"connect\":%d,\"read\":%d,\"write\":%d,\"timeout\":%d}\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
