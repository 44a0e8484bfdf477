/**
 * The OAuth start's hand-off page as a browser meets it: the Continue link to the vendor's
 * consent, and the install cookie the callback requires (sent back as a `cookie` request header).
 * Shared by the provider kit's install and the tests that walk an install by hand.
 */

export interface HandOff {
  /** The vendor's consent (or install) URL behind "Continue to <provider>". */
  readonly consentUrl: URL
  /** `switchboard_install=<value>`, ready for a `cookie` request header. */
  readonly cookie: string
  readonly html: string
}

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
}

const unescapeHtml = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))

/** Reads a start's answer (200 page + cookie); throws with the body when it is anything else. */
export const readHandOff = (answer: Answer): HandOff => {
  if (answer.status !== 200) throw new Error(`install start: ${answer.status} ${answer.text}`)
  const href = /<a id="continue"[^>]*\shref="([^"]*)"/.exec(answer.text)?.[1]
  if (href === undefined) throw new Error(`no Continue link on the hand-off page: ${answer.text}`)
  const cookie = /(?:^|[\s,])(switchboard_install=[^;,\s]+)/.exec(answer.headers.get("set-cookie") ?? "")?.[1]
  if (cookie === undefined) throw new Error(`the install start set no cookie: ${answer.headers.get("set-cookie")}`)
  return { consentUrl: new URL(unescapeHtml(href)), cookie, html: answer.text }
}

/** `readHandOff` for a fetch Response. */
export const handOffOf = async (start: Response): Promise<HandOff> =>
  readHandOff({ status: start.status, headers: start.headers, text: await start.text() })
