/**
 * The server of `part3:watch`: the page (three files from part03/watch/,
 * read once), its event stream, and the run as a file to save, on
 * 127.0.0.1 only.
 *
 * @module
 */

import type { WatchHub } from "./_watch_hub.ts";

const PAGE_FILES: Record<string, [file: string, type: string]> = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/watch.css": ["watch.css", "text/css; charset=utf-8"],
  "/model.js": ["model.js", "text/javascript; charset=utf-8"],
  "/draw.js": ["draw.js", "text/javascript; charset=utf-8"],
  "/watch.js": ["watch.js", "text/javascript; charset=utf-8"],
};

/**
 * Serves the page for `hub`'s run of `task` on 127.0.0.1:`port` (0: any
 * free port).
 *
 * @throws {Deno.errors.AddrInUse} if the port is taken
 */
export function serveWatch(hub: WatchHub, task: string, port: number): Deno.HttpServer {
  const page = new Map<string, Uint8Array<ArrayBuffer>>();
  for (const [path, [file]] of Object.entries(PAGE_FILES)) {
    page.set(path, Deno.readFileSync(new URL(`watch/${file}`, import.meta.url)));
  }
  return Deno.serve(
    { hostname: "127.0.0.1", port, onListen: () => {} },
    handler(hub, task, page),
  );
}

/** The page, its event stream and the run as a file; only to 127.0.0.1 by name. */
function handler(
  hub: WatchHub,
  task: string,
  page: Map<string, Uint8Array<ArrayBuffer>>,
): (request: Request) => Response {
  return (request: Request): Response => {
    const { pathname } = new URL(request.url);
    // A page from another site must not read the run through a name that resolves here.
    const host = request.headers.get("host")?.replace(/:\d+$/, "");
    if (host !== "127.0.0.1" && host !== "localhost") return new Response(null, { status: 403 });
    const headers = { "cache-control": "no-store" };
    if (pathname === "/events") {
      return new Response(hub.open(), {
        headers: { ...headers, "content-type": "text/event-stream" },
      });
    }
    if (pathname === "/run.jsonl") {
      const name = `${task.replace(/\W+/g, "_")}.jsonl`;
      return new Response(hub.lines.join("\n") + "\n", {
        headers: {
          ...headers,
          "content-type": "application/x-ndjson",
          "content-disposition": `attachment; filename="${name}"`,
        },
      });
    }
    const body = page.get(pathname);
    if (body === undefined) return new Response("Not found\n", { status: 404 });
    return new Response(body, { headers: { ...headers, "content-type": PAGE_FILES[pathname][1] } });
  };
}
