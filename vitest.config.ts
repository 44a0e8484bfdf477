import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real runtimes (bun, deno, workerd) start inside some tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Log lines (JSON logs of the kernel under test) are shown for failing tests only.
    silent: "passed-only"
  }
})
