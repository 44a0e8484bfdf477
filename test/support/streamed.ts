/** A request body with no Content-Length, as a chunked upload sends it (`RequestInit` fields). */
export const streamed = (text: string) => ({
  body: new ReadableStream({
    start(controller) {
      controller.enqueue(new TextEncoder().encode(text))
      controller.close()
    }
  }),
  duplex: "half" as const
})
