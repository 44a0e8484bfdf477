/** `--help` answers with usage and exit 0 for every command, and for every word that starts a group (`keys --help`). */
import { afterAll, describe, expect, it } from "vitest"
import { commands } from "../../bin/cli/Cli.ts"
import { runCli, tempDir } from "./support.ts"

const folder = tempDir()
afterAll(() => folder.remove())

describe("switchboard --help", () => {
  it.each(commands.map((command) => command.words.join(" ")))("%s --help prints its usage and exits 0", async (words) => {
    for (const flag of ["--help", "-h"]) {
      const result = await runCli([...words.split(" "), flag], { cwd: folder.path })
      expect(result.code, result.stderr).toBe(0)
      expect(result.stdout).toContain(`Usage: switchboard ${words}`)
    }
  })

  it.each([...new Set(commands.map((command) => command.words[0]!))])("%s --help prints the usage of each of its commands and exits 0", async (word) => {
    const result = await runCli([word, "--help"], { cwd: folder.path })
    expect(result.code, result.stderr).toBe(0)
    for (const command of commands.filter((candidate) => candidate.words[0] === word)) {
      expect(result.stdout).toContain(`Usage: switchboard ${command.words.join(" ")}`)
    }
    expect(result.stderr).toBe("")
  })

  it("a group word without a command still says what to do, with exit 1", async () => {
    const result = await runCli(["keys"], { cwd: folder.path })
    expect(result.code).toBe(1)
    expect(result.stderr).toContain("keys generate")
  })
})
