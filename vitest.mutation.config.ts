import { defineConfig } from "vitest/config"
import base from "./vitest.config.ts"

/**
 * The tests Stryker runs against each mutant (`npm run mutation`): unit-level files only, each
 * building the layer under test inside the test (not once per file in `beforeAll`), so Stryker
 * can attribute every mutant to the tests that ran it and rerun only those. Tests that start a
 * whole kernel, another process or a browser stay out: a mutant is active in this process only,
 * and a kernel built once per file would make every mutant it runs "static" (rerun with every test).
 */
export default defineConfig({
  ...base,
  test: {
    ...base.test,
    // Replaced, not merged: `mergeConfig` would append to the base config's `test/**` pattern.
    include: [
      "test/mutation/**/*.test.ts",
      "test/kernel/vault.test.ts",
      "test/kernel/session-tokens.test.ts",
      "test/security/purposes.test.ts"
    ]
  }
})
