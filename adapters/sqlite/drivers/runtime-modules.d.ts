/**
 * The few members of `bun:sqlite` and `node:sqlite` that bun.ts and deno.ts use. The root
 * tsconfig and the package build run with Node 20's types only (@types/node 20 predates
 * node:sqlite), yet code they check (the package's driver entries, the store test runners)
 * imports those drivers. Not the full APIs: runtimes/bun/tsconfig.json checks bun.ts and the
 * Bun entrypoints against bun-types itself.
 */
declare module "bun:sqlite" {
  type Binding = string | number | bigint | Uint8Array | null
  export class Statement {
    all(...params: Array<Binding>): Array<unknown>
    values(...params: Array<Binding>): Array<Array<unknown>>
    run(...params: Array<Binding>): { readonly changes: number }
  }
  export class Database {
    constructor(filename: string, options?: { readonly create?: boolean; readonly strict?: boolean })
    readonly inTransaction: boolean
    prepare(sql: string): Statement
    exec(sql: string): void
    close(): void
  }
}

declare module "node:sqlite" {
  type Binding = string | number | bigint | Uint8Array | null
  export class StatementSync {
    all(...params: Array<Binding>): Array<unknown>
    setReturnArrays(enabled: boolean): void
    run(...params: Array<Binding>): { readonly changes: number | bigint }
  }
  export class DatabaseSync {
    constructor(path: string)
    readonly isTransaction: boolean
    prepare(sql: string): StatementSync
    exec(sql: string): void
    close(): void
  }
}
