/**
 * `switchboard tenants disable|enable|delete <id>`: tenant administration over HTTP with the
 * admin token (`PATCH` / `DELETE /v1/tenants/<id>`). Deleting goes through the running instance
 * only: it uninstalls the tenant's installations at the vendors first, which needs the
 * providers' settings that only the instance has.
 */
import { type Command, parse, text } from "./Command.ts"
import { devData, instanceUrl } from "./DevData.ts"
import { callSwitchboard } from "./Http.ts"
import { CliFailure, done, type Io } from "./Io.ts"

const options = {
  url: { type: "string" },
  "admin-token": { type: "string" },
  "data-dir": { type: "string" },
  yes: { type: "boolean" }
} as const

const optionsHelp = `Options:
  --url <url>            Switchboard's base URL (default $SWITCHBOARD_URL or http://localhost:8787)
  --admin-token <token>  SWITCHBOARD_ADMIN_TOKEN of that instance (default: the env, or the dev
                         command's .data/dev.json)
  --data-dir <dir>       the dev command's data folder (default $SWITCHBOARD_DEV_DATA or .data)`

const target = (io: Io, command: string, args: ReadonlyArray<string>) => {
  const { values, positionals } = parse(`tenants ${command}`, args, options)
  const tenantId = positionals[0]
  if (tenantId === undefined || positionals.length > 1) throw new CliFailure(`Name one tenant: switchboard tenants ${command} <ten_...>`)
  const url = instanceUrl(io, text(values.url))
  const adminToken = text(values["admin-token"]) ?? io.env["SWITCHBOARD_ADMIN_TOKEN"] ??
    devData(io, text(values["data-dir"])).env["SWITCHBOARD_ADMIN_TOKEN"]
  if (adminToken === undefined) throw new CliFailure("No admin token: pass --admin-token or set SWITCHBOARD_ADMIN_TOKEN")
  return { tenantId, url, adminToken, confirmed: values.yes === true }
}

const setDisabled = (disabled: boolean): Command => {
  const word = disabled ? "disable" : "enable"
  return {
    words: ["tenants", word],
    summary: disabled ? "disable a tenant: its API keys are refused" : "enable a disabled tenant again",
    help: `Usage: switchboard tenants ${word} <tenant id> [options]

${disabled ? "Disables the tenant: every request with one of its API keys is refused until it is enabled." : "Enables a disabled tenant: its API keys work again."}

${optionsHelp}`,
    run: async (args, io) => {
      const { tenantId, url, adminToken } = target(io, word, args)
      await callSwitchboard(io, url, {
        method: "PATCH",
        path: `/v1/tenants/${encodeURIComponent(tenantId)}`,
        bearer: adminToken,
        body: { disabled }
      })
      done(io, `Tenant ${tenantId} ${disabled ? "disabled" : "enabled"}.`)
    }
  }
}

export const tenantsDisable = setDisabled(true)
export const tenantsEnable = setDisabled(false)

export const tenantsDelete: Command = {
  words: ["tenants", "delete"],
  summary: "delete a tenant: uninstall its installations, remove its rows",
  help: `Usage: switchboard tenants delete <tenant id> --yes [options]

Uninstalls the tenant's installations (revoked at the vendors that allow it) and removes every
row of the tenant. It cannot be undone: --yes says you mean it.

${optionsHelp}
  --yes                  confirm`,
  run: async (args, io) => {
    const { tenantId, url, adminToken, confirmed } = target(io, "delete", args)
    if (!confirmed) throw new CliFailure(`Deleting ${tenantId} cannot be undone: add --yes`)
    await callSwitchboard(io, url, { method: "DELETE", path: `/v1/tenants/${encodeURIComponent(tenantId)}`, bearer: adminToken })
    done(io, `Tenant ${tenantId} deleted.`)
  }
}

export const tenantAdminCommands: ReadonlyArray<Command> = [tenantsDisable, tenantsEnable, tenantsDelete]
