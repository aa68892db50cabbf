/**
 * Helper for chapter 4's scaling benchmark: many connected pairs of
 * non-blocking loopback sockets, all owned by the main thread.
 *
 * One listening socket takes the connections as they complete; the clients
 * connect in batches so the kernel's accept queue never overflows (a SYN
 * dropped from a full queue is only retried a second later). Each pair
 * holds two of the process's OS file descriptors, so 10,000 pairs need a
 * limit above 20,000 (`ulimit -n`).
 *
 * @module
 */

import { select } from "../lib/select.ts";
import { Socket } from "../lib/socket.ts";
import { errno, errnoOf, WouldBlockError } from "../lib/socket_error.ts";

/** How many connects are under way at once. */
const BATCH = 256;
/** A batch that makes no progress for this long has hung. */
const STALL_SECONDS = 10;

/** A connected pair: the client end and the server end that accepted it. */
export interface SocketPair {
  /** The end that connected. */
  client: Socket;
  /** The end the listening socket accepted. */
  server: Socket;
}

/**
 * Raised by {@linkcode openPairs} when the process ran out of file
 * descriptors (EMFILE); everything opened so far is closed by then.
 */
export class TooManyOpenFilesError extends Error {
  /** Creates the error; `cause` is the operating system's error. */
  constructor(cause: unknown) {
    super("Cannot open the socket pairs: too many open files (EMFILE)", { cause });
    this.name = "TooManyOpenFilesError";
  }
}

/**
 * Opens `count` connected pairs on 127.0.0.1. On failure, closes every
 * socket it opened before throwing.
 *
 * @throws {TooManyOpenFilesError} if the descriptor limit is reached
 */
export async function openPairs(count: number): Promise<SocketPair[]> {
  const opened: Socket[] = [];
  const open = (sock: Socket): Socket => (opened.push(sock), sock);
  const pairs: SocketPair[] = [];
  let listener: Socket | undefined;
  try {
    listener = open(new Socket());
    listener.setblocking(false);
    listener.bind(["127.0.0.1", 0]);
    listener.listen(BATCH);
    while (pairs.length < count) {
      pairs.push(...await connectBatch(listener, Math.min(BATCH, count - pairs.length), open));
    }
    return pairs;
  } catch (error) {
    listener?.close();
    for (const sock of opened) sock.close();
    await descriptorsReleased();
    throw errnoOf(error) === errno.EMFILE ? new TooManyOpenFilesError(error) : error;
  } finally {
    listener?.close();
  }
}

/**
 * Closes both ends of every pair, and resolves once the operating system
 * has their descriptors back, so the next {@linkcode openPairs} can use them.
 */
export async function closePairs(pairs: SocketPair[]): Promise<void> {
  for (const { client, server } of pairs) {
    client.close();
    server.close();
  }
  await descriptorsReleased();
}

/**
 * Closing a socket frees its number in lib's descriptor table at once, but
 * its OS descriptor only when Deno drops the connection, which waits for the
 * connection's pending read to be cancelled on the event loop's next turn.
 */
function descriptorsReleased(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Connects `size` clients to `listener` and pairs each with the socket accepted for it. */
async function connectBatch(
  listener: Socket,
  size: number,
  open: (sock: Socket) => Socket,
): Promise<SocketPair[]> {
  const address = listener.getsockname();
  const clients: Socket[] = [];
  for (let i = 0; i < size; i++) {
    const client = open(new Socket());
    client.setblocking(false);
    client.connect_ex(address);
    clients.push(client);
  }
  // The accepted end's peer is the client's own address: pair them by port.
  const acceptedByPort = new Map<number, Socket>();
  let connecting = clients;
  let failure: unknown;
  // After a failure, still wait for the connects under way, so that none
  // completes after its socket was closed and holds a descriptor a moment longer.
  while (connecting.length > 0 || (failure === undefined && acceptedByPort.size < size)) {
    const watched = failure === undefined ? [listener] : [];
    const [readable, writable] = await select(watched, connecting, STALL_SECONDS);
    if (readable.length === 0 && writable.length === 0) {
      throw new Error(`Cannot open the socket pairs: no progress in ${STALL_SECONDS} s`);
    }
    while (failure === undefined) {
      try {
        const [server, [, port]] = listener.accept();
        acceptedByPort.set(port, open(server));
      } catch (error) {
        if (!(error instanceof WouldBlockError)) failure = error;
        break;
      }
    }
    // A writable client has connected or failed; connect() says which.
    for (const client of writable) {
      try {
        client.connect(address);
      } catch (error) {
        failure ??= error;
      }
    }
    const done = new Set(writable);
    connecting = connecting.filter((client) => !done.has(client));
  }
  if (failure !== undefined) throw failure;
  return clients.map((client) => {
    const server = acceptedByPort.get(client.getsockname()[1]);
    if (server === undefined) throw new Error("Cannot pair a client with its accepted socket");
    return { client, server };
  });
}
