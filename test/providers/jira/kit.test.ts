/**
 * The Jira provider passes the provider kit twice, once per install type (OAuth 2.0 (3LO) and
 * credential paste); its options live in test/support/kit/providers/jira.ts (shared with the
 * runtime matrix).
 */
import { jiraKitOAuth, jiraKitPaste } from "../../support/kit/providers/jira.ts"
import { runProviderKit } from "../../support/kit/runProviderKit.ts"

runProviderKit(jiraKitOAuth)
runProviderKit(jiraKitPaste)
