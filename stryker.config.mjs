// Mutation testing of the kernel's security-critical modules, run by hand before resolving work
// that touches them: `npm run mutation` (narrow with `npm run mutation -- --mutate 'kernel/vault/**/*.ts'`).
// Not in CI and not in `npm test`: about 17 minutes on two cores. See docs/mutation.md.
/** @type {import("@stryker-mutator/api/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  vitest: {
    // The unit-level tests only: tests that start another process would run unmutated code.
    configFile: "vitest.mutation.config.ts",
    related: true
  },
  // Each mutant runs only the tests that executed it during the dry run.
  coverageAnalysis: "perTest",
  // Static mutants (run at import, or while a file builds its layers in beforeAll) count too:
  // the mutation tests build their layers inside each test, so few are static, and those few
  // rerun the related unit files only (seconds each). See docs/mutation.md.
  ignoreStatic: false,
  // Two cores, shared with other work.
  concurrency: 2,
  mutate: [
    "kernel/vault/**/*.ts",
    "kernel/install/**/*.ts",
    "kernel/tools/Tools.ts",
    "kernel/webhooks/**/*.ts",
    "kernel/crypto/**/*.ts"
  ],
  // Stryker rewrites tsconfig `extends`/`references` through the TypeScript JS API, which
  // TypeScript 7 no longer ships. Ours has neither, so point the rewrite at no file.
  tsconfigFile: "",
  ignorePatterns: ["dist", "test-artifacts", ".wrangler", ".data", "bench", "examples", "docs"],
  thresholds: { high: 95, low: 90, break: 90 },
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true },
  tempDirName: ".stryker-tmp"
}
