/**
 * The emulator's HTTP server: a probe of a group's health endpoint (`/_emulator/health/<groupId>`)
 * goes to the health endpoint, any other request under `/_emulator/` to the admin API, any other to
 * the cloud API that claims it (`cloudApi.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { cloudApiFor, type CloudDispatch } from "./cloudApi";
import { routeOf } from "./routes";

/** Keep-alive timeout of the HTTP server (longer than typical client agents' idle time). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Serves one HTTP request; never rejects. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** The handlers of the emulator's own routes (the clouds' APIs are dispatched separately). */
export interface EmulatorHandlers {
  /** Serves the admin API (`/_emulator/…`). */
  readonly admin: RequestHandler;
  /** Serves the probes of the per-group health endpoints (`/_emulator/health/<groupId>`). */
  readonly health: RequestHandler;
}

/** Creates the server (not listening yet): `handlers` serve the emulator's own routes, `clouds` the cloud APIs. */
export function createEmulatorServer(handlers: EmulatorHandlers, clouds: CloudDispatch): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const route = routeOf(req.url);
    const served = route === "api" ? cloudApiFor(clouds, req).handle(req, res) : handlers[route](req, res);
    served.catch((e: unknown) => {
      process.stderr.write(`[emulator] unhandled: ${String(e)}\n`);
      res.destroy();
    });
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  return server;
}

/** Starts listening on `host:port` (0 picks a free port); rejects when it cannot (port in use…). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}
