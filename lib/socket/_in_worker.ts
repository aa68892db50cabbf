/**
 * The Worker behind blocking sockets: it owns their Deno connections and
 * listeners (a `Deno.Conn` cannot be posted to another thread, so the
 * thread that will use a connection has to open it), pumps bytes between
 * them and the shared rings of each socket's {@linkcode Channel}, and
 * answers the main thread's commands through the same shared memory, since
 * the main thread is blocked in `Atomics.wait` and cannot receive messages.
 *
 * To the main thread it posts only one kind of message, a socket id, when
 * that socket's readiness may have changed, so `select` and `epoll` can
 * watch a blocking socket too.
 *
 * @module
 */

import { addressOf } from "./_backend.ts";
import { ACCEPTS, Channel, EOF, FAILED, MAIN_SEQ, NOTIFY, REPLY, SEQ } from "./_channel.ts";

/** A command from the main thread; `token` comes back in the REPLY word. */
export type Command =
  | { op: "hello"; buffer: SharedArrayBuffer }
  | {
    op: "connect" | "listen";
    id: number;
    token: number;
    buffer: SharedArrayBuffer;
    hostname: string;
    port: number;
  }
  | { op: "accept"; id: number; token: number; backlog: number }
  | { op: "adopt"; id: number; token: number; newId: number; buffer: SharedArrayBuffer }
  | { op: "close"; id: number; token: number };

interface Stream {
  kind: "stream";
  id: number;
  channel: Channel;
  conn: Deno.Conn;
  closing: boolean;
  writes: Promise<void>;
}

interface Listening {
  kind: "listener";
  id: number;
  channel: Channel;
  listener: Deno.Listener;
  /** Accepted connections and failed accepts, in order; `adopt` takes the first. */
  queue: (Deno.Conn | Error)[];
  backlog: number;
  closing: boolean;
  wake: () => void;
}

/** How long `close()` lets unsent bytes drain before it closes anyway, like SO_LINGER. */
const LINGER_MS = 5000;
const CHUNK = 16 * 1024;

const scope = globalThis as unknown as {
  onmessage: (event: MessageEvent<Command>) => void;
  postMessage(message: unknown): void;
};
const sockets = new Map<number, Stream | Listening>();

scope.onmessage = ({ data: command }) => {
  if (command.op === "hello") {
    const control = new Int32Array(command.buffer);
    Atomics.store(control, 0, 1);
    Atomics.notify(control, 0);
    return;
  }
  const channel = command.op === "connect" || command.op === "listen" || command.op === "adopt"
    ? new Channel(command.buffer)
    : sockets.get(command.id)?.channel;
  if (channel === undefined) return;
  run(command).then(
    (reply) => answer(channel, command.token, { ok: true, ...reply }),
    (error) => answer(channel, command.token, { ok: false, error: serialize(error) }),
  );
};

async function run(command: Exclude<Command, { op: "hello" }>): Promise<object> {
  switch (command.op) {
    case "connect": {
      const { hostname, port } = command;
      const conn = await Deno.connect({ hostname, port });
      return startStream(command.id, new Channel(command.buffer), conn);
    }
    case "listen": {
      const { hostname, port } = command;
      const listener = Deno.listen({ hostname, port });
      const channel = new Channel(command.buffer);
      const listening: Listening = {
        kind: "listener",
        id: command.id,
        channel,
        listener,
        queue: [],
        backlog: 0,
        closing: false,
        wake: () => {},
      };
      sockets.set(command.id, listening);
      return { local: addressOf(listener.addr) };
    }
    case "accept": {
      const listening = sockets.get(command.id) as Listening;
      listening.backlog = command.backlog;
      pumpAccepts(listening);
      return {};
    }
    case "adopt": {
      const listening = sockets.get(command.id) as Listening;
      const conn = listening.queue.shift() as Deno.Conn | Error;
      Atomics.store(listening.channel.control, ACCEPTS, listening.queue.length);
      listening.wake();
      // A failed accept is answered in its place, once, like accept(2) failing with ECONNABORTED.
      if (conn instanceof Error) throw conn;
      return startStream(command.newId, new Channel(command.buffer), conn);
    }
    case "close": {
      const socket = sockets.get(command.id);
      sockets.delete(command.id);
      if (socket?.kind === "stream") await closeStream(socket);
      if (socket?.kind === "listener") closeListener(socket);
      return {};
    }
  }
}

function startStream(id: number, channel: Channel, conn: Deno.Conn): object {
  const stream: Stream = {
    kind: "stream",
    id,
    channel,
    conn,
    closing: false,
    writes: Promise.resolve(),
  };
  sockets.set(id, stream);
  pumpReads(stream);
  stream.writes = pumpWrites(stream);
  return { local: addressOf(conn.localAddr), remote: addressOf(conn.remoteAddr) };
}

/** Reads from the connection into the recv ring; waits while the ring is full (backpressure). */
async function pumpReads(stream: Stream): Promise<void> {
  const { channel, conn } = stream;
  const buffer = new Uint8Array(CHUNK);
  try {
    for (;;) {
      await channel.waitAsync(() => stream.closing || channel.room("recv") > 0);
      if (stream.closing) return;
      const count = await conn.read(buffer.subarray(0, Math.min(CHUNK, channel.room("recv"))));
      if (count === null) {
        channel.setFlag(EOF);
        return;
      }
      channel.write("recv", buffer.subarray(0, count));
      changed(stream);
    }
  } catch (error) {
    if (!stream.closing) fail(stream, error);
  } finally {
    changed(stream);
  }
}

/** Sends what the main thread put in the send ring; when closing, drains it and stops. */
async function pumpWrites(stream: Stream): Promise<void> {
  const { channel, conn } = stream;
  try {
    for (;;) {
      await channel.waitAsync(() => stream.closing || channel.buffered("send") > 0);
      const chunk = channel.peek("send", CHUNK);
      if (chunk.length === 0) return;
      for (let sent = 0; sent < chunk.length;) sent += await conn.write(chunk.subarray(sent));
      channel.consume("send", chunk.length);
      changed(stream);
    }
  } catch (error) {
    fail(stream, error);
    changed(stream);
  }
}

/**
 * Queues accepted connections, up to the backlog, until `accept()` adopts
 * them. A failed accept (a client that reset before it was taken: Deno's
 * accept then fails with NotConnected) is queued in its place and costs only
 * that connection; the listener goes on once `accept()` has reported it, so
 * a lasting cause (no descriptor left) does not make it spin.
 */
async function pumpAccepts(listening: Listening): Promise<void> {
  const { queue } = listening;
  for (;;) {
    while (
      (queue.length >= listening.backlog || queue.some((entry) => entry instanceof Error)) &&
      !listening.closing
    ) {
      await new Promise<void>((resolve) => listening.wake = resolve);
    }
    if (listening.closing) return;
    let accepted: Deno.Conn | Error;
    try {
      accepted = await listening.listener.accept();
    } catch (error) {
      accepted = error instanceof Error ? error : new Error(String(error));
    }
    if (listening.closing) {
      if (!(accepted instanceof Error)) accepted.close();
      return;
    }
    queue.push(accepted);
    Atomics.store(listening.channel.control, ACCEPTS, queue.length);
    changed(listening);
  }
}

async function closeStream(stream: Stream): Promise<void> {
  stream.closing = true;
  stream.channel.bump(MAIN_SEQ);
  if ((stream.channel.flags() & FAILED) === 0 && stream.channel.buffered("send") > 0) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const linger = new Promise<void>((resolve) => timer = setTimeout(resolve, LINGER_MS));
    await Promise.race([stream.writes, linger]);
    clearTimeout(timer);
  }
  stream.conn.close();
}

function closeListener(listening: Listening): void {
  listening.closing = true;
  listening.listener.close();
  for (const conn of listening.queue.splice(0)) if (!(conn instanceof Error)) conn.close();
  listening.wake();
}

function fail(socket: Stream, error: unknown): void {
  if ((socket.channel.flags() & FAILED) !== 0) return;
  socket.channel.writeText("error", serialize(error));
  socket.channel.setFlag(FAILED);
}

/** Wakes a main thread blocked on this socket, and tells its event loop once. */
function changed(socket: Stream | Listening): void {
  socket.channel.bump(SEQ);
  if (Atomics.compareExchange(socket.channel.control, NOTIFY, 0, 1) === 0) {
    scope.postMessage(socket.id);
  }
}

function answer(channel: Channel, token: number, reply: object): void {
  channel.writeText("reply", reply);
  Atomics.store(channel.control, REPLY, token);
  channel.bump(SEQ);
}

function serialize(error: unknown): { name: string; message: string } {
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return { name, message: message.slice(0, 400) };
}
