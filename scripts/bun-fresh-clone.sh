#!/usr/bin/env bash
# A Bun user's habit on a fresh clone: `bun install && bun run dev`, then the dev command must
# serve /v1/integrations. Bun is this checkout's (node_modules/.bin, from npm ci), put on PATH as
# a Bun user has it; the clone is of the committed HEAD. Run by .ci/run.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
export PATH="$root/node_modules/.bin:$PATH"
work="$(mktemp -d)"
pid=""
cleanup() {
  if [ -n "$pid" ]; then
    kill -- "-$pid" 2>/dev/null || true
    # Its graceful stop still closes SQLite's files (and the checkpointing worker's): removing the
    # folder before the group is gone raced with that ("Directory not empty").
    for _ in $(seq 1 100); do
      kill -0 -- "-$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -rf "$work"
}
trap cleanup EXIT

git clone --quiet "$root" "$work/clone"
cd "$work/clone"
bun install
port="$(node -e 'const s = require("node:net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close() })')"
# Its own process group, so the cleanup stops bun run and the dev command it started.
PORT="$port" SANDBOX_PORT=0 SWITCHBOARD_DEV_DATA="$work/data" setsid bun run dev > "$work/dev.log" 2>&1 &
pid=$!
for _ in $(seq 1 90); do
  if curl --silent --fail "http://127.0.0.1:$port/v1/integrations" | grep -q '"id":"linear"'; then
    echo "bun install && bun run dev: /v1/integrations answered on a fresh clone"
    exit 0
  fi
  sleep 1
done
echo "bun run dev did not serve /v1/integrations within 90 s:" >&2
cat "$work/dev.log" >&2
exit 1
