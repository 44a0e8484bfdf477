/**
 * Picks the command from the first words of argv, handles `--help`, and turns failures into one
 * clear line on stderr and exit code 1 (a `CliFailure` as written; anything else with its
 * message, and the stack only with SWITCHBOARD_DEBUG=1).
 */
import { apiKeyCommands } from "./ApiKeys.ts"
import type { Command } from "./Command.ts"
import { CliFailure, type Io } from "./Io.ts"
import { keysGenerate } from "./Keys.ts"
import { manifest } from "./Manifest.ts"
import { migrate } from "./Migrate.ts"
import { simulate } from "./Simulate.ts"
import { tenantAdminCommands } from "./TenantAdmin.ts"
import { tenantsCreate } from "./Tenants.ts"
import { workersCheck } from "./WorkersCheck.ts"

export const commands: ReadonlyArray<Command> = [
  simulate,
  keysGenerate,
  manifest,
  migrate,
  tenantsCreate,
  ...tenantAdminCommands,
  ...apiKeyCommands,
  workersCheck
]

const usage = () =>
  [
    "Usage: switchboard <command> [options]",
    "",
    "Commands:",
    ...commands.map((command) => `  ${command.words.join(" ").padEnd(18)}${command.summary}`),
    "",
    "Run switchboard <command> --help for its options."
  ].join("\n")

const find = (available: ReadonlyArray<Command>, argv: ReadonlyArray<string>) =>
  available.find((command) => command.words.every((word, index) => argv[index] === word))

/** `available` lets tests run a command built over their own providers. */
export const run = async (argv: ReadonlyArray<string>, io: Io, available: ReadonlyArray<Command> = commands): Promise<number> => {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.out(usage())
    return argv.length === 0 ? 1 : 0
  }
  const command = find(available, argv)
  const asksHelp = argv.includes("--help") || argv.includes("-h")
  if (command === undefined) {
    const group = commands.filter((candidate) => candidate.words[0] === argv[0])
    // `switchboard keys --help`: the help of each command the word starts, as asked (exit 0).
    if (asksHelp && group.length > 0) {
      io.out(group.map((candidate) => candidate.help).join("\n\n"))
      return 0
    }
    io.err(group.length > 0
      ? `✗ switchboard ${argv[0]}: say what to do: ${group.map((candidate) => candidate.words.join(" ")).join(", ")}`
      : `✗ Unknown command "${argv.join(" ")}".`)
    io.err(usage())
    return 1
  }
  const args = argv.slice(command.words.length)
  if (asksHelp) {
    io.out(command.help)
    return 0
  }
  try {
    await command.run(args, io)
    return 0
  } catch (error) {
    if (error instanceof CliFailure) io.err(`✗ ${error.message}`)
    else {
      io.err(`✗ switchboard ${command.words.join(" ")} failed: ${error instanceof Error ? error.message : String(error)}`)
      if (io.env["SWITCHBOARD_DEBUG"] === "1" && error instanceof Error && error.stack !== undefined) io.err(error.stack)
    }
    return 1
  }
}
