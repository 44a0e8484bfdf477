/** The GitHub provider passes the provider kit; its options live in test/support/kit/providers/github.ts (shared with the runtime matrix). */
import { githubKit } from "../../support/kit/providers/github.ts"
import { runProviderKit } from "../../support/kit/runProviderKit.ts"

runProviderKit(githubKit)
