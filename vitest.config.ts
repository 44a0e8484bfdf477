import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Real runtimes (bun, deno, workerd) start inside some tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks"
  }
})
