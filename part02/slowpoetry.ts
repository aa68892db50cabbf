/**
 * The Slow Poetry Server, blocking edition (chapter 2).
 *
 * Serves one poem, a few bytes at a time with a pause after each, to one
 * client at a time. Everything it does blocks: `accept` waits for a
 * client, `sendall` waits until the bytes are handed over, `sleep` stops
 * the whole thread. That is fine for a server whose whole point is to be
 * slow, and it is what makes a client's waiting visible.
 *
 *     deno task part2:slowpoetry poetry/ecstasy.txt
 *     deno task part2:slowpoetry --port 10000 --delay 0.1 --num-bytes 30 poetry/ecstasy.txt
 *
 * Nothing needs to be running first. Stop it with Ctrl-C.
 *
 * @module
 */

import { describeError } from "../lib/socket/socket_error.ts";
import {
  exitWithUsage,
  explainRefusal,
  formatAddress,
  parseServerCommandLine,
  type ServerCommandLine,
  serverSpec,
} from "../lib/cli/mod.ts";
import { sleep } from "../lib/time/sleep.ts";
import { Socket } from "../lib/socket/socket.ts";

const spec = serverSpec(
  "part2:slowpoetry",
  "The Slow Poetry Server, blocking edition: serves POEM_FILE slowly, a few bytes at\n" +
    "a time, to one client at a time.",
  ["--allow-net=127.0.0.1,localhost,[::1]", "--allow-read=poetry,lib"],
);

function parseOptions(): [Options, Socket] {
  const options = parseServerCommandLine(spec);
  const sock = new Socket();
  try {
    sock.bind([options.iface, options.port]);
  } catch (error) {
    sock.close();
    const where = formatAddress({ host: options.iface, port: options.port });
    const reason = explainRefusal(spec, error) ?? describeError(error);
    exitWithUsage(spec, `Cannot listen on ${where}: ${reason}`);
  }
  sock.listen(5);
  return [options, sock];
}

type Options = ServerCommandLine;

/**
 * Sends the poem slowly down `sock`, one chunk every `delay` seconds, then
 * closes it; a client that leaves early is let go.
 */
function sendPoetry(sock: Socket, peer: string, { poem, numBytes, delay }: Options): void {
  // Keep a steady pace: sleep until the next chunk is due, so the time spent
  // sending does not pile up and a poem takes chunks x delay seconds.
  let due = performance.now();
  try {
    for (let start = 0; start < poem.length; start += numBytes) {
      // Chunks are bytes, as in the file: one may end in the middle of a character.
      const bytes = poem.subarray(start, start + numBytes);
      console.log(`Sending ${bytes.length} bytes`);
      sock.sendall(bytes); // a blocking call
      due += delay * 1000;
      sleep(Math.max(0, due - performance.now()) / 1000); // so is this: the whole thread stops
    }
  } catch (error) {
    console.log(`Lost the client at ${peer}: ${describeError(error)}`);
  } finally {
    sock.close();
  }
}

function serve(listenSocket: Socket, options: Options): never {
  for (;;) {
    let accepted: [Socket, [string, number]];
    try {
      accepted = listenSocket.accept(); // blocks until a client connects
    } catch (error) {
      // A client that reset before we took it costs only its own connection.
      console.log(`Could not accept a connection: ${describeError(error)}`);
      continue;
    }
    const [sock, [host, port]] = accepted;
    const peer = formatAddress({ host, port });
    console.log(`Somebody at ${peer} wants poetry!`);
    sendPoetry(sock, peer, options);
  }
}

const [options, listenSocket] = parseOptions();
console.log(`Serving ${options.poemFile} on port ${listenSocket.getsockname()[1]}.`);
serve(listenSocket, options);
