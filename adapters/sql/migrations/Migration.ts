/**
 * The shape of one migration as the runtimes see it: the text of a `.sql` file in this folder,
 * embedded in `index.ts` so no runtime reads a file system (Workers has none).
 */
export interface Migration {
  /** The file's numeric prefix (`0001_init.sql` is 1); applied in ascending order. */
  readonly id: number
  /** The rest of the file name, without the extension (`init`). */
  readonly name: string
  /** The file's content, verbatim. */
  readonly sql: string
}
