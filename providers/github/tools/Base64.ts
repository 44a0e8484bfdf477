/** UTF-8 text to and from the base64 the contents API speaks, with no runtime module. */
import { Option } from "effect"

const strictUtf8 = new TextDecoder("utf-8", { fatal: true })

export const utf8ToBase64 = (text: string): string => {
  const bytes = new TextEncoder().encode(text)
  let binary = ""
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000))
  }
  return btoa(binary)
}

/** The text, or none when the bytes are not UTF-8 (a binary file). GitHub wraps base64 lines. */
export const base64ToUtf8 = (base64: string): Option.Option<string> => {
  try {
    const bytes = Uint8Array.from(atob(base64.replace(/\s+/g, "")), (character) => character.charCodeAt(0))
    return Option.some(strictUtf8.decode(bytes))
  } catch {
    return Option.none()
  }
}
