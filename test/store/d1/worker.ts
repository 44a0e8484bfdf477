/** A Worker whose every request runs the store conformance suite on its D1 binding (JSON results). */
import * as D1 from "../../../adapters/d1/D1.ts"
import { conformanceCases, runConformance } from "../conformance.ts"

interface Env {
  readonly DB: D1.D1Options["db"]
}

export default {
  async fetch(_request: Request, env: Env): Promise<Response> {
    return Response.json(await runConformance(conformanceCases(D1.layer({ db: env.DB }), "d1")))
  }
}
