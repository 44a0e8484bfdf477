/** The Slack provider passes the provider kit; its options live in test/support/kit/providers/slack.ts (shared with the runtime matrix). */
import { slackKit } from "../../support/kit/providers/slack.ts"
import { runProviderKit } from "../../support/kit/runProviderKit.ts"

runProviderKit(slackKit)
