/**
 * Slack's message markup as a person reads it, for the sandbox's activity shown in the Console:
 * `<@U123>` becomes `@name` (the id when the name is unknown), `<#C123|general>` `#general`,
 * `<!here>` `@here`, `<https://x|label>` `label`, and the `&amp;` `&lt;` `&gt;` escapes
 * their characters. Only for display: the message itself keeps its markup.
 */
const ESCAPES: Readonly<Record<string, string>> = { "&amp;": "&", "&lt;": "<", "&gt;": ">" }

const token = (inner: string, names: ReadonlyMap<string, string>): string => {
  const [target = "", label] = inner.split("|", 2)
  if (target.startsWith("@")) return `@${label ?? names.get(target.slice(1)) ?? target.slice(1)}`
  if (target.startsWith("#")) return `#${label ?? target.slice(1)}`
  if (target.startsWith("!")) return `@${(label ?? target.slice(1)).replace(/^subteam\^/, "")}`
  return label ?? target
}

export const readableSlackText = (text: string, names: ReadonlyMap<string, string>): string =>
  text.replace(/<([^<>]+)>/g, (_match, inner: string) => token(inner, names)).replace(/&(amp|lt|gt);/g, (escape) => ESCAPES[escape] ?? escape)
