/** HTTP plumbing every API of the emulator shares (cloud APIs and the admin API): bodies and headers. */
import type { IncomingMessage } from "node:http";

/** Largest request body a cloud API accepts (1 MiB); each cloud answers a larger one with its own error. */
export const MAX_API_BODY_BYTES = 1024 * 1024;

/** Reads the body up to `limit` bytes; `tooLarge` is set when it went beyond (the rest is drained, not kept). */
export function readBody(req: IncomingMessage, limit: number): Promise<{ body: Buffer; tooLarge: boolean }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > limit) tooLarge = true;
      else chunks.push(c);
    });
    req.on("end", () => resolve({ body: Buffer.concat(chunks), tooLarge }));
    req.on("error", () => resolve({ body: Buffer.concat(chunks), tooLarge }));
  });
}

/** A request header's value (the first one when repeated); `name` in lower case. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}
