/**
 * The Get Poetry Now! client, asynchronous edition (chapter 2).
 *
 * Downloads all the poems at once, in one thread: it connects to every
 * server, puts the sockets in non-blocking mode, and then loops, asking
 * `select` which sockets have bytes waiting and reading only from those.
 * No reactor yet: the loop is written out below. The total time is about
 * that of the slowest poem.
 *
 *     deno task part2:async-client 10000 10001 10002
 *     deno task part2:async-client --print 127.0.0.1:10000 127.0.0.1:10001
 *
 * Slow poetry servers must already be listening on those ports
 * (`deno task part2:slowpoetry --port 10000 poetry/ecstasy.txt`, ...).
 *
 * @module
 */

import {
  clientSpec,
  explainRefusal,
  formatAddress,
  formatDuration,
  parseClientCommandLine,
  type PoetryAddress,
} from "../lib/cli/mod.ts";
import { joinBytes } from "../lib/bytes/bytes.ts";
import { select } from "../lib/socket/select.ts";
import { Socket } from "../lib/socket/socket.ts";
import { describeError, WouldBlockError } from "../lib/socket/socket_error.ts";

/** One download: its task number, its server, the bytes so far, and whether it broke off. */
interface Task {
  number: number;
  where: string;
  chunks: Uint8Array[];
  lost: boolean;
}

/** Connects to `address` (blocking, it is quick) and returns a non-blocking socket. */
function connect({ host, port }: PoetryAddress): Socket {
  const sock = new Socket();
  try {
    sock.connect([host, port]);
  } catch (error) {
    sock.close();
    throw error;
  }
  sock.setblocking(false);
  return sock;
}

/** Downloads from all the sockets at once; each socket is closed when its poem ends. */
async function getPoetry(tasks: Map<Socket, Task>, print: boolean): Promise<void> {
  const sockets = [...tasks.keys()];
  while (sockets.length > 0) {
    // Wait until at least one socket is readable. This is the only place
    // the program waits, and it waits for all the sockets at once.
    const [readable] = await select(sockets, [], null);
    for (const sock of readable) {
      const task = tasks.get(sock) as Task;
      // Take everything that has arrived, until recv says it would block.
      const received: Uint8Array[] = [];
      let ended = false;
      for (;;) {
        let bytes: Uint8Array;
        try {
          bytes = sock.recv(1024); // never blocks: the socket is non-blocking
        } catch (error) {
          if (error instanceof WouldBlockError) break; // nothing more for now
          console.log(
            `Task ${task.number}: lost the connection to ${task.where}: ${describeError(error)}`,
          );
          task.lost = true;
          ended = true;
          break;
        }
        if (bytes.length === 0) { // the server closed the connection: the poem is complete
          ended = true;
          break;
        }
        received.push(bytes);
      }
      const data = joinBytes(received);
      if (data.length > 0) {
        console.log(`Task ${task.number}: got ${data.length} bytes of poetry from ${task.where}`);
        task.chunks.push(data);
      }
      if (!ended) continue;
      sockets.splice(sockets.indexOf(sock), 1);
      sock.close();
      if (task.lost) continue;
      console.log(`Task ${task.number} finished`);
      if (print) console.log(new TextDecoder().decode(joinBytes(task.chunks)));
    }
  }
}

const spec = clientSpec(
  "part2:async-client",
  "The Get Poetry Now! client, asynchronous edition: downloads a poem from every\n" +
    "ADDRESS (PORT or HOST:PORT, HOST defaulting to 127.0.0.1) at the same time.",
);
const { addresses, print } = parseClientCommandLine(spec);

const start = performance.now();
const tasks = new Map<Socket, Task>();
addresses.forEach((address, index) => {
  const where = formatAddress(address);
  try {
    tasks.set(connect(address), { number: index + 1, where, chunks: [], lost: false });
  } catch (error) {
    const reason = explainRefusal(spec, error) ?? describeError(error);
    console.log(`Task ${index + 1}: failed to connect to ${where}: ${reason}`);
    Deno.exitCode = 1;
  }
});
try {
  await getPoetry(tasks, print);
} finally {
  for (const sock of tasks.keys()) sock.close();
}
const elapsed = (performance.now() - start) / 1000;

let poems = 0;
for (const task of tasks.values()) {
  const length = task.chunks.reduce((sum, chunk) => sum + chunk.length, 0);
  console.log(`Task ${task.number}: ${length} bytes of poetry${task.lost ? " (partial)" : ""}`);
  if (task.lost) Deno.exitCode = 1;
  else poems++;
}
console.log(`Got ${poems} poems in ${formatDuration(elapsed)}`);
