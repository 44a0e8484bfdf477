/**
 * Whether this process's stdout is a regular file (not a pipe, a socket, a terminal or a device),
 * for `stdoutLines` on Node and Deno.
 */
import { fstatSync } from "node:fs"

export const stdoutIsFile = (): boolean => {
  try {
    return fstatSync(1).isFile()
  } catch {
    return false
  }
}
