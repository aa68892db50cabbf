/**
 * The main thread's side of blocking sockets: a {@linkcode WorkerHost} runs
 * the Worker (lib/socket/_in_worker.ts, started and stopped by
 * lib/workers/worker.ts as every Worker is) that owns their connections, and
 * {@linkcode WorkerStream} and {@linkcode WorkerListener} talk to it
 * through each socket's shared {@linkcode Channel}.
 *
 * A blocking call posts its command and then waits in `Atomics.wait`: the
 * calling thread really stops (no timer, no promise callback runs) until
 * the Worker answers. One Worker serves every blocking socket open at a
 * time, a little like a kernel's network stack (a connection accepted by
 * a Worker's listener has to stay in that Worker anyway); it starts with
 * the first socket (about 20 ms) and is terminated when the last closes.
 *
 * @module
 */

import { ACCEPTS, Channel, EOF, FAILED, MAIN_SEQ, NOTIFY, REPLY } from "./_channel.ts";
import type { Command } from "./_in_worker.ts";
import {
  type Address,
  BUFFER_SIZE,
  type ListenerBackend,
  type Notifiable,
  type StreamBackend,
} from "./_backend.ts";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT } from "./_fd_table.ts";
import { wouldBlock } from "./socket_error.ts";
import { errorFromThread } from "../workers/calls.ts";
import { startWorker, stopWorker } from "../workers/worker.ts";

const workerUrl = new URL("./_in_worker.ts", import.meta.url);
/** How long a new Worker may take to start before we give up on it. */
const STARTUP_TIMEOUT_MS = 30_000;
/** The name of the Worker, by which `liveWorkerCount()` counts it. */
export const WORKER_NAME = "blocking sockets";
let sharedHost: WorkerHost | undefined;

function sharedOrNewHost(): WorkerHost {
  return sharedHost ??= new WorkerHost();
}

interface Reply {
  ok: boolean;
  error?: { name: string; message: string };
  local?: Address;
  remote?: Address;
}

/** The Worker and the sockets it owns. */
class WorkerHost {
  readonly #worker: Worker;
  readonly #sockets = new Map<number, { channel: Channel; notify: () => void }>();
  #nextId = 1;
  #nextToken = 1;

  constructor() {
    this.#worker = startWorker(workerUrl, {
      name: WORKER_NAME,
      purpose: "create a blocking socket",
      readHint: "lib",
    });
    this.#worker.onmessage = ({ data: id }: MessageEvent<number>) => {
      const socket = this.#sockets.get(id);
      if (socket === undefined) return;
      Atomics.store(socket.channel.control, NOTIFY, 0);
      socket.notify();
    };
    // The main thread cannot see the Worker's load errors while it blocks, so wait with a limit.
    const hello = new Channel(0);
    this.#worker.postMessage({ op: "hello", buffer: hello.buffer } satisfies Command);
    if (!hello.waitBlocking(() => Atomics.load(hello.control, 0) === 1, STARTUP_TIMEOUT_MS)) {
      this.#terminate();
      throw new Error(`Cannot create a blocking socket: its Worker did not start`);
    }
  }

  /** Gives a socket an id so the Worker's readiness messages reach `notify`. */
  add(channel: Channel, notify: () => void): number {
    const id = this.#nextId++;
    this.#sockets.set(id, { channel, notify });
    return id;
  }

  /** Forgets a socket; terminates the Worker when it was the last one. */
  remove(id: number): void {
    this.#sockets.delete(id);
    if (this.#sockets.size === 0) this.#terminate();
  }

  /**
   * Posts a command and blocks until the Worker writes its reply into `channel`.
   *
   * @throws the Worker's error, revived as Deno's class of that name
   */
  call(channel: Channel, command: Record<string, unknown>): Reply {
    const token = this.#nextToken++;
    this.#worker.postMessage({ ...command, token });
    channel.waitBlocking(() => Atomics.load(channel.control, REPLY) === token);
    const reply = channel.readText("reply") as Reply;
    if (!reply.ok && reply.error) throw errorFromThread(reply.error);
    return reply;
  }

  #terminate(): void {
    stopWorker(this.#worker);
    if (sharedHost === this) sharedHost = undefined;
  }
}

/** Opens a connection in the Worker and blocks until it is established or fails. */
export function connectInWorker(hostname: string, port: number, notify: () => void): WorkerStream {
  return openInWorker(BUFFER_SIZE, notify, (host, id, channel, buffer) =>
    new WorkerStream(
      host,
      id,
      channel,
      host.call(channel, { op: "connect", id, buffer, hostname, port }),
    ));
}

/** Binds a listener in the Worker; blocks until it is bound or fails. */
export function bindInWorker(hostname: string, port: number, notify: () => void): WorkerListener {
  return openInWorker(0, notify, (host, id, channel, buffer) =>
    new WorkerListener(
      host,
      id,
      channel,
      host.call(channel, { op: "listen", id, buffer, hostname, port }),
    ));
}

/**
 * Registers a new channel with the shared Worker and runs `open`, which
 * makes the blocking call; if it fails, the channel is unregistered again.
 */
function openInWorker<T>(
  bufferSize: number,
  notify: () => void,
  open: (host: WorkerHost, id: number, channel: Channel, buffer: SharedArrayBuffer) => T,
): T {
  const host = sharedOrNewHost();
  const channel = new Channel(bufferSize);
  const id = host.add(channel, notify);
  try {
    return open(host, id, channel, channel.buffer);
  } catch (error) {
    host.remove(id);
    throw error;
  }
}

/** Common ground of a Worker-owned stream and listener: the address, and closing. */
abstract class WorkerSocket {
  readonly canBlock = true;
  readonly local: Address;
  protected readonly host: WorkerHost;
  protected readonly id: number;
  protected readonly channel: Channel;
  constructor(host: WorkerHost, id: number, channel: Channel, reply: Reply) {
    this.host = host;
    this.id = id;
    this.channel = channel;
    this.local = reply.local as Address;
  }

  close(): void {
    try {
      this.host.call(this.channel, { op: "close", id: this.id });
    } finally {
      this.host.remove(this.id);
    }
  }
}

/** A connection owned by a Worker. See {@linkcode StreamBackend}. */
export class WorkerStream extends WorkerSocket implements StreamBackend {
  readonly remote: Address;
  #errorTaken = false;

  constructor(host: WorkerHost, id: number, channel: Channel, reply: Reply) {
    super(host, id, channel, reply);
    this.remote = reply.remote as Address;
  }

  #failed(): boolean {
    return (this.channel.flags() & FAILED) !== 0;
  }

  #error(): Error {
    return errorFromThread(this.channel.readText("error") as { name: string; message: string });
  }

  #errorPending(): boolean {
    return this.#failed() && !this.#errorTaken;
  }

  takeError(): Error | undefined {
    if (!this.#errorPending()) return undefined;
    this.#errorTaken = true;
    return this.#error();
  }

  events(): number {
    const flags = this.channel.flags();
    let events = 0;
    if (this.channel.buffered("recv") > 0 || (flags & (EOF | FAILED)) !== 0) events |= EPOLLIN;
    if (this.#failed()) events |= EPOLLOUT | EPOLLHUP | (this.#errorPending() ? EPOLLERR : 0);
    else if (this.channel.room("send") > 0) events |= EPOLLOUT;
    return events;
  }

  recv(size: number, block: boolean): Uint8Array {
    let data: Uint8Array | undefined;
    this.channel.waitBlocking(() => {
      if (this.channel.buffered("recv") > 0) data = this.channel.read("recv", size);
      else if (this.#errorPending() || (this.channel.flags() & (EOF | FAILED)) !== 0) return true;
      else if (!block) throw wouldBlock("recv");
      return data !== undefined;
    });
    if (data !== undefined) {
      this.channel.bump(MAIN_SEQ);
      return data;
    }
    const error = this.takeError();
    if (error) throw error;
    return new Uint8Array(0);
  }

  send(data: Uint8Array, block: boolean): number {
    let sent = 0;
    this.channel.waitBlocking(() => {
      if (this.#failed()) throw this.takeError() ?? this.#error();
      sent = this.channel.write("send", data);
      if (sent === 0 && data.length > 0 && !block) throw wouldBlock("send");
      return sent > 0 || data.length === 0;
    });
    this.channel.bump(MAIN_SEQ);
    return sent;
  }
}

/** A listener owned by a Worker. See {@linkcode ListenerBackend}. */
export class WorkerListener extends WorkerSocket implements ListenerBackend {
  /** The Worker has closed its listener when `close()` returns. */
  released(): Promise<void> {
    return Promise.resolve();
  }

  listen(backlog: number): void {
    this.host.call(this.channel, { op: "accept", id: this.id, backlog });
  }

  events(): number {
    // A failed accept waits in the queue like a connection: readable, no EPOLLERR, as on Linux.
    return Atomics.load(this.channel.control, ACCEPTS) > 0 ? EPOLLIN : 0;
  }

  accept(block: boolean, target: Notifiable): StreamBackend {
    this.channel.waitBlocking(() => {
      if (Atomics.load(this.channel.control, ACCEPTS) > 0) return true;
      if (!block) throw wouldBlock("accept");
      return false;
    });
    const channel = new Channel(BUFFER_SIZE);
    const newId = this.host.add(channel, () => target.notify());
    const { buffer } = channel;
    try {
      const reply = this.host.call(channel, { op: "adopt", id: this.id, newId, buffer });
      return new WorkerStream(this.host, newId, channel, reply);
    } catch (error) {
      this.host.remove(newId);
      throw error;
    }
  }
}
