/** The providers this deployment serves; adding one is one line here. */
import type { ProviderFactory } from "../kernel/provider/Provider.ts"
import * as GitHubProvider from "./github/GitHubProvider.ts"
import * as JiraProvider from "./jira/JiraProvider.ts"
import * as LinearProvider from "./linear/LinearProvider.ts"
import * as SlackProvider from "./slack/SlackProvider.ts"

export const providers: ReadonlyArray<ProviderFactory> = [LinearProvider.make, SlackProvider.make, GitHubProvider.make, JiraProvider.make]
