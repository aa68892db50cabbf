/**
 * The floor for section 5's measurements at the edge: the slow poetry
 * server on bare `Deno.listen`, with no reactor, no transport and no
 * buffers of ours. Each connection is read into one shared 64 KiB buffer
 * and its bytes dropped; one `setInterval` writes every client its next
 * chunk with `Conn.write`. Not a teaching step: what `part5:slowpoetry`
 * costs beyond it is ours, what it shares with it is Deno's.
 *
 *     deno run --allow-net=127.0.0.1 --allow-read=poetry part05/slowpoetry_bare.ts --port 10000 poetry/science.txt
 *
 * @module
 */

import { parseArgs } from "node:util";

const USAGE = "usage: slowpoetry_bare.ts --port PORT [--delay SECONDS] [--num-bytes N] POEM";

function usageError(line: string): never {
  console.error(`error: ${line}\n${USAGE}`);
  Deno.exit(2);
}

function parse(): { port: number; delay: number; numBytes: number; poemFile: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: Deno.args,
      allowPositionals: true,
      options: {
        port: { type: "string" },
        delay: { type: "string", default: "0.1" },
        "num-bytes": { type: "string", default: "10" },
      },
    });
  } catch (error) {
    usageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const port = Number(values.port);
  const delay = Number(values.delay);
  const numBytes = Number(values["num-bytes"]);
  if (!Number.isInteger(port) || port < 0 || port > 65535) usageError("--port must be 0-65535");
  if (!(delay > 0)) usageError("--delay must be a number of seconds above 0");
  if (!Number.isInteger(numBytes) || numBytes < 1) usageError("--num-bytes must be 1 or more");
  if (positionals.length !== 1) usageError("give exactly one poem file");
  return { port, delay, numBytes, poemFile: positionals[0] };
}

const { port, delay, numBytes, poemFile } = parse();
const poem = Deno.readFileSync(poemFile);
const dropped = new Uint8Array(64 * 1024);
/** Each client still being served, and how much of the poem it was sent. */
const clients = new Map<Deno.Conn, { sent: number; writing: boolean }>();
let tick: ReturnType<typeof setInterval> | undefined;

function close(conn: Deno.Conn): void {
  clients.delete(conn);
  try {
    conn.close();
  } catch {
    // Closed already: the client left.
  }
}

/** One tick: the next chunk to every client whose last write is done. */
function sendChunks(): void {
  for (const [conn, client] of clients) {
    if (client.writing) continue;
    const chunk = poem.subarray(client.sent, client.sent + numBytes);
    client.sent += chunk.length;
    client.writing = true;
    const last = client.sent === poem.length;
    if (last) clients.delete(conn);
    conn.write(chunk).then(() => {
      client.writing = false;
      if (last) close(conn);
    }, () => close(conn));
  }
  if (clients.size === 0) {
    clearInterval(tick);
    tick = undefined;
  }
}

async function dropInput(conn: Deno.Conn): Promise<void> {
  try {
    while (await conn.read(dropped) !== null);
  } catch {
    // Reset: the write fails too, and closes it.
  }
}

Deno.addSignalListener("SIGINT", () => Deno.exit(130));
Deno.addSignalListener("SIGTERM", () => Deno.exit(143));
const listener = Deno.listen({ hostname: "127.0.0.1", port, tcpBacklog: 65535 });
console.log(`Serving ${poemFile} on port ${(listener.addr as Deno.NetAddr).port}.`);
for await (const conn of listener) {
  clients.set(conn, { sent: 0, writing: false });
  dropInput(conn);
  tick ??= setInterval(sendChunks, delay * 1000);
}
