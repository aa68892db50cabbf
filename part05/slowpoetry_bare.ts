/**
 * The floor for section 5's measurements at the edge: the slow poetry
 * server on bare `Deno.listen`, with no reactor, no transport and no
 * buffers of ours (only the command line is the repository's). Each
 * connection is read into one shared 64 KiB buffer and its bytes dropped;
 * one `setInterval` writes every client its next chunk with `Conn.write`.
 * Not a teaching step: what `part5:slowpoetry` costs beyond it is ours,
 * what it shares with it is Deno's.
 *
 *     deno task part5:slowpoetry-bare --port 10000 poetry/science.txt
 *
 * @module
 */

import {
  exitWithUsage,
  explainRefusal,
  formatAddress,
  parseServerCommandLine,
} from "../lib/cli/mod.ts";
import { describeError } from "../lib/socket/socket_error.ts";
import { bareServerSpec } from "./_cli.ts";

const { poem, poemFile, port, iface, delay, numBytes } = parseServerCommandLine(bareServerSpec);
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

let listener: Deno.Listener;
try {
  listener = Deno.listen({ hostname: iface, port, tcpBacklog: 65535 });
} catch (error) {
  const reason = explainRefusal(bareServerSpec, error) ?? describeError(error);
  exitWithUsage(
    bareServerSpec,
    `Cannot listen on ${formatAddress({ host: iface, port })}: ${reason}`,
  );
}
Deno.addSignalListener("SIGINT", () => Deno.exit(130));
Deno.addSignalListener("SIGTERM", () => Deno.exit(143));
console.log(`Serving ${poemFile} on port ${(listener.addr as Deno.NetAddr).port}.`);
for (;;) {
  let conn: Deno.Conn;
  try {
    conn = await listener.accept();
  } catch {
    // Out of descriptors, say: the crudest back-off, a tenth of a second.
    await new Promise((resolve) => setTimeout(resolve, 100));
    continue;
  }
  clients.set(conn, { sent: 0, writing: false });
  dropInput(conn);
  tick ??= setInterval(sendChunks, delay * 1000);
}
