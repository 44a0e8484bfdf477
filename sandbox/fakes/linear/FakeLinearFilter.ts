/**
 * Linear's filter language (`issues(filter: { team: { key: { eq: "ENG" } }, or: [...] })`),
 * evaluated against the JSON the fake would answer for an entity. Supported, as Linear defines
 * them: `and`, `or`; comparators `eq`, `neq`, `in`, `nin`, `eqIgnoreCase`, `neqIgnoreCase`,
 * `contains`, `containsIgnoreCase`, `notContains`, `startsWith`, `endsWith`, `null`, `lt`,
 * `lte`, `gt`, `gte`; `some` / `every` over connections; `isMe` on users. Any other key is a
 * nested field. An unknown comparator on a primitive never matches, so a provider bug shows.
 */

export interface FilterContext {
  /** The user the token acts as, for `isMe`. */
  readonly viewerId: string
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const lower = (value: unknown): unknown => (typeof value === "string" ? value.toLowerCase() : value)

const text = (value: unknown): string => (typeof value === "string" ? value : "")

const ordered = (value: unknown, operand: unknown, test: (a: string | number, b: string | number) => boolean) =>
  (typeof value === "number" || typeof value === "string") && (typeof operand === "number" || typeof operand === "string")
    ? test(value, operand)
    : false

const comparators: ReadonlyMap<string, (value: unknown, operand: unknown) => boolean> = new Map<
  string,
  (value: unknown, operand: unknown) => boolean
>([
  ["eq", (value, operand) => value === operand],
  ["neq", (value, operand) => value !== operand],
  ["in", (value, operand) => Array.isArray(operand) && operand.includes(value)],
  ["nin", (value, operand) => Array.isArray(operand) && !operand.includes(value)],
  ["eqIgnoreCase", (value, operand) => typeof value === "string" && lower(value) === lower(operand)],
  ["neqIgnoreCase", (value, operand) => typeof value === "string" && lower(value) !== lower(operand)],
  ["contains", (value, operand) => typeof value === "string" && value.includes(text(operand))],
  ["notContains", (value, operand) => typeof value === "string" && !value.includes(text(operand))],
  [
    "containsIgnoreCase",
    (value, operand) => typeof value === "string" && value.toLowerCase().includes(text(operand).toLowerCase())
  ],
  ["startsWith", (value, operand) => typeof value === "string" && value.startsWith(text(operand))],
  ["endsWith", (value, operand) => typeof value === "string" && value.endsWith(text(operand))],
  ["null", (value, operand) => (value === null || value === undefined) === (operand === true)],
  ["lt", (value, operand) => ordered(value, operand, (a, b) => a < b)],
  ["lte", (value, operand) => ordered(value, operand, (a, b) => a <= b)],
  ["gt", (value, operand) => ordered(value, operand, (a, b) => a > b)],
  ["gte", (value, operand) => ordered(value, operand, (a, b) => a >= b)]
])

/** A connection (`{ nodes }`) or a plain list, as a list. */
const elementsOf = (value: unknown): ReadonlyArray<unknown> => {
  if (Array.isArray(value)) return value
  if (isRecord(value) && Array.isArray(value["nodes"])) return value["nodes"]
  return []
}

export const matches = (value: unknown, filter: unknown, context: FilterContext): boolean => {
  if (!isRecord(filter)) return true
  return Object.entries(filter).every(([key, condition]) => {
    if (condition === undefined) return true
    switch (key) {
      case "and":
        return Array.isArray(condition) && condition.every((part) => matches(value, part, context))
      case "or":
        return Array.isArray(condition) && condition.some((part) => matches(value, part, context))
      case "some":
        return elementsOf(value).some((element) => matches(element, condition, context))
      case "every":
        return elementsOf(value).every((element) => matches(element, condition, context))
      case "isMe": {
        const me = isRecord(value) && value["id"] === context.viewerId
        return matches(me, condition, context)
      }
    }
    const comparator = comparators.get(key)
    if (comparator !== undefined) return comparator(value, condition)
    if (!isRecord(value)) {
      // A relation that is not set only matches `{ null: true }`.
      return isRecord(condition) && condition["null"] === true && Object.keys(condition).length === 1
    }
    return matches(value[key], condition, context)
  })
}
