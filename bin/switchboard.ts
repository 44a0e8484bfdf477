/**
 * `switchboard`: the command line for running and operating Switchboard.
 *
 *     switchboard simulate <provider> [event]   a signed sample webhook to a running instance
 *     switchboard keys generate                 fresh signing key, vault key and admin token
 *     switchboard manifest <provider>           the vendor app manifest for this deployment
 *     switchboard migrate                       migrations for a SQLite file, or the D1 command
 *     switchboard tenants create <name>         a tenant and its first API key
 *     switchboard api-keys create --tenant <id> another API key for a tenant
 *     switchboard workers check                 a Workers deployment's settings: what is missing
 *
 * Results go to stdout, progress and errors to stderr; the exit code is 0 on success.
 */
import { run } from "./cli/Cli.ts"
import { processIo } from "./cli/Io.ts"

export const main = (argv: ReadonlyArray<string>): Promise<number> => run(argv, processIo())
