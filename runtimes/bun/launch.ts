/**
 * The built Bun entry (`build/bun/main.js`, scripts/build-entry.ts): picks the build of
 * `main.ts` for the database the settings name and runs it. Each build holds one storage engine:
 * `app-sqlite.js` leaves the Postgres modules out (an eighth of the code, and the only lazy
 * imports that made the bundler defer the evaluation of every module they reach), which a
 * SQLite start then neither loads nor defers; `app-postgres.js` is `main.ts` whole. Only one is
 * ever loaded into a process, so they share no module state. Not for running from source: run
 * `main.ts` there.
 */
import { postgresUrl } from "../shared/databaseSettings.ts"

require(postgresUrl(process.env) === undefined ? "./app-sqlite.js" : "./app-postgres.js")
