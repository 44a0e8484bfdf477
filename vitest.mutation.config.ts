import { configDefaults, defineConfig, mergeConfig } from "vitest/config"
import base from "./vitest.config.ts"

/**
 * The tests Stryker runs against each mutant (`npm run mutation`). Files that start another
 * process (the runtime matrix, the CLI, browsers, packaging, the reliability servers) are left
 * out: a mutant is activated inside the test process only, so a child process always runs the
 * original code; those files would only cost minutes and kill nothing.
 */
export default mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        ...configDefaults.exclude,
        ".stryker-tmp/**",
        "reports/**",
        "test/matrix/**",
        "test/cli/**",
        "test/console/**",
        "test/package/**",
        "test/scripts/**",
        "test/mcp/conformance.test.ts",
        "test/reliability/crash.test.ts",
        "test/reliability/lock.test.ts",
        "test/reliability/sink.test.ts",
        "test/reliability/sinkOrder.test.ts",
        "test/security/keys-console.test.ts",
        "test/store/conformance.test.ts",
        "test/store/migrations.test.ts"
      ]
    }
  })
)
