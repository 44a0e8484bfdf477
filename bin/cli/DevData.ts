/**
 * What `npm run dev` leaves in its data folder (`SWITCHBOARD_DEV_DATA`, default `.data`) that
 * commands can use as defaults against a local instance: its secrets and the demo tenant's key.
 */
import { isAbsolute, join } from "node:path"
import { devDataDir, devSettingsFile, readDevSettings } from "../../runtimes/shared/devEnv.ts"
import type { Io } from "./Io.ts"

export interface DevData {
  readonly file: string
  readonly env: Readonly<Record<string, string>>
  readonly apiKey: string | undefined
}

export const devData = (io: Io, dataDir?: string): DevData => {
  const folder = dataDir ?? devDataDir(io.env)
  const file = devSettingsFile(isAbsolute(folder) ? folder : join(io.cwd, folder))
  const stored = readDevSettings(file)
  return { file, env: stored.env ?? {}, apiKey: stored.apiKey }
}

/** The instance to talk to: `--url`, SWITCHBOARD_URL, or the dev command's default. */
export const instanceUrl = (io: Io, flag: string | undefined): string =>
  (flag ?? io.env["SWITCHBOARD_URL"] ?? `http://localhost:${io.env["PORT"] ?? "8787"}`).replace(/\/+$/, "")
