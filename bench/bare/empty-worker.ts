/** The empty Worker the bundle bench measures Switchboard's Worker against: one fetch handler, nothing imported. */
export default {
  fetch: (): Response => new Response("ok")
}
