/**
 * The emulator's HTTP server: a request under `/_emulator/` goes to the admin API, any other to the
 * cloud API that claims it (`cloudApi.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { cloudApiFor, type CloudDispatch } from "./cloudApi";
import { routeOf } from "./routes";

/** Keep-alive timeout of the HTTP server (longer than typical client agents' idle time). */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Serves one HTTP request; never rejects. */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Creates the server (not listening yet): `admin` serves the admin API, `clouds` the cloud APIs. */
export function createEmulatorServer(admin: RequestHandler, clouds: CloudDispatch): Server {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const served = routeOf(req.url) === "admin" ? admin(req, res) : cloudApiFor(clouds, req).handle(req, res);
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
