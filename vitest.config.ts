import { configDefaults, defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Stryker's sandboxes and reports hold copies of the tests; `npm test` must never run them.
    exclude: [...configDefaults.exclude, ".stryker-tmp/**", "reports/**"],
    // Real runtimes (bun, deno, workerd) start inside some tests.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Log lines (JSON logs of the kernel under test) are shown for failing tests only.
    silent: "passed-only"
  }
})
