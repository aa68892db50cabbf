/**
 * The Get Poetry Now! client, blocking edition (chapter 2).
 *
 * Downloads one poem from each address, one after the other, with blocking
 * sockets: each `recv` stops the whole program until bytes arrive, so the
 * total time is the sum of the single-poem times. Each download is one
 * synchronous task of chapter 1's first figure.
 *
 *     deno task part2:blocking-client 10000 10001 10002
 *     deno task part2:blocking-client --print 127.0.0.1:10000
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
import { Socket } from "../lib/socket/socket.ts";
import { describeError } from "../lib/socket/socket_error.ts";

/** Raised when the connection is lost during a download, with what had arrived. */
class PoemLost extends Error {
  constructor(readonly reason: unknown) {
    super(describeError(reason));
  }
}

/** Downloads a poem from `address`, blocking until it is complete. */
function getPoetry({ host, port }: PoetryAddress): Uint8Array {
  const sock = new Socket();
  try {
    sock.connect([host, port]);
    const chunks: Uint8Array[] = [];
    for (;;) {
      let bytes: Uint8Array;
      try {
        // The blocking call: recv() stops this whole program, for as long as it
        // takes the server to send something (or to close the connection).
        bytes = sock.recv(1024);
      } catch (error) {
        throw new PoemLost(error);
      }
      if (bytes.length === 0) return joinBytes(chunks);
      chunks.push(bytes);
    }
  } finally {
    sock.close();
  }
}

const spec = clientSpec(
  "part2:blocking-client",
  "The Get Poetry Now! client, blocking edition: downloads a poem from each ADDRESS\n" +
    "(PORT or HOST:PORT, HOST defaulting to 127.0.0.1), one after the other.",
);
const { addresses, print } = parseClientCommandLine(spec);

let elapsed = 0;
let poems = 0;
addresses.forEach((address, index) => {
  const task = index + 1;
  const where = formatAddress(address);
  console.log(`Task ${task}: get poetry from: ${where}`);
  const start = performance.now();
  let poem: Uint8Array;
  try {
    poem = getPoetry(address);
  } catch (error) {
    const what = error instanceof PoemLost ? "lost the connection to" : "failed to connect to";
    console.log(
      `Task ${task}: ${what} ${where}: ${explainRefusal(spec, error) ?? describeError(error)}`,
    );
    Deno.exitCode = 1;
    return;
  }
  const time = (performance.now() - start) / 1000;
  console.log(
    `Task ${task}: got ${poem.length} bytes of poetry from ${where} in ${formatDuration(time)}`,
  );
  if (print) console.log(new TextDecoder().decode(poem));
  elapsed += time;
  poems++;
});
console.log(`Got ${poems} poems in ${formatDuration(elapsed)}`);
