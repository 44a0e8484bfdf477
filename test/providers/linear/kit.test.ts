/** The Linear provider passes the provider kit; its options live in test/support/kit/providers/linear.ts (shared with the runtime matrix). */
import { linearKit } from "../../support/kit/providers/linear.ts"
import { runProviderKit } from "../../support/kit/runProviderKit.ts"

runProviderKit(linearKit)
