/**
 * Helper process for chapter 4's scaling benchmark (scaling.ts): the far
 * ends of its N sockets, kept in a process of their own so that each
 * process needs only about N file descriptors, not 2N.
 *
 * It connects once to the benchmark's control port, then N times to its
 * data port. Then, for each 4-byte number the benchmark writes on the
 * control connection (little-endian: the local port of one of the N
 * connections, which is the peer port the benchmark sees), it writes one
 * byte on that connection. It exits when the control connection ends, so it
 * never outlives the benchmark, however that ends. Plain Deno I/O: this is
 * measuring equipment, not part of the lesson.
 *
 *     deno run --allow-net=127.0.0.1 part04/_peers.ts CONTROL_PORT DATA_PORT N
 *
 * Exit status 0 when the control connection ends, 3 if out of file
 * descriptors (EMFILE), 1 after any other failure (the reason on stderr).
 *
 * @module
 */

import { describeError, errno, errnoOf } from "../lib/socket/socket_error.ts";

/** The exit status that means the peer process ran out of file descriptors. */
export const EXIT_TOO_MANY_OPEN_FILES = 3;

/**
 * Raised by `PeerProcess.open` (_peer_process.ts) when the benchmark or the peer
 * process ran out of file descriptors (EMFILE); everything opened so far is
 * closed by then.
 */
export class TooManyOpenFilesError extends Error {
  /** Creates the error; `where` says which process ran out. */
  constructor(readonly where: "benchmark" | "peer", cause?: unknown) {
    const message = `Cannot open the sockets: too many open files in the ${where} process`;
    super(`${message} (EMFILE)`, { cause });
    this.name = "TooManyOpenFilesError";
  }
}

const HOST = "127.0.0.1";
/** Connects under way at once, so the benchmark's accept queue never overflows. */
const BATCH = 256;
const ONE_BYTE = new Uint8Array([42]);

/** Opens `count` connections to `port`, by local port, a batch at a time. */
async function connectAll(port: number, count: number): Promise<Map<number, Deno.Conn>> {
  const byPort = new Map<number, Deno.Conn>();
  while (byPort.size < count) {
    const batch = Array.from(
      { length: Math.min(BATCH, count - byPort.size) },
      () => Deno.connect({ hostname: HOST, port }),
    );
    for (const conn of await Promise.all(batch)) {
      byPort.set((conn.localAddr as Deno.NetAddr).port, conn);
    }
  }
  return byPort;
}

/** Writes a byte on the connection each control message names, until the control connection ends. */
async function relay(
  control: Deno.Conn,
  connections: Promise<Map<number, Deno.Conn>>,
): Promise<void> {
  const buffer = new Uint8Array(4096);
  const view = new DataView(buffer.buffer);
  let byPort: Map<number, Deno.Conn> | undefined;
  let kept = 0;
  for (;;) {
    const count = await control.read(buffer.subarray(kept));
    if (count === null) return;
    const end = kept + count;
    let at = 0;
    for (; at + 4 <= end; at += 4) {
      const port = view.getUint32(at, true);
      byPort ??= await connections;
      const conn = byPort.get(port);
      if (conn === undefined) throw new Error(`Cannot relay: no connection from port ${port}`);
      await conn.write(ONE_BYTE);
    }
    // Keep a message cut in two by the stream for the next read.
    buffer.copyWithin(0, at, end);
    kept = end - at;
  }
}

/** Reports a failure the way the benchmark expects, and exits. */
function fail(error: unknown): never {
  if (errnoOf(error) === errno.EMFILE) Deno.exit(EXIT_TOO_MANY_OPEN_FILES);
  console.error(`error: peer process: ${describeError(error)}`);
  Deno.exit(1);
}

if (import.meta.main) {
  const [controlPort, dataPort, count] = Deno.args.map(Number);
  try {
    const control = await Deno.connect({ hostname: HOST, port: controlPort });
    const connections = connectAll(dataPort, count);
    connections.catch(fail);
    // Reading from the start, so that the end of the benchmark is seen even while connecting.
    await relay(control, connections);
  } catch (error) {
    fail(error);
  }
  Deno.exit(0);
}
