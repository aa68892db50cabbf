/**
 * Non-blocking sockets owned by the main thread: a `Deno.Conn` or
 * `Deno.Listener` with, like a kernel socket, bounded buffers in front of
 * it. Each stream keeps one read pending at a time and stops reading while
 * its receive buffer is full (backpressure); writes drain in the background.
 * No Worker and no timer per socket, so ten thousand of them are cheap.
 *
 * @module
 */

import {
  type Address,
  addressOf,
  BUFFER_SIZE,
  type ListenerBackend,
  type Notifiable,
  type StreamBackend,
} from "./_backend.ts";
import { emptyChunkQueue } from "../bytes/bytes.ts";
import { EPOLLERR, EPOLLHUP, EPOLLIN, EPOLLOUT } from "./_fd_table.ts";
import { isShortage, wouldBlock } from "./socket_error.ts";

/**
 * Bytes asked for per read at first by a connection a listener accepted:
 * small, since every open socket holds one such buffer while its read is
 * pending, and most connections of a busy server receive little or nothing
 * (10,000 of them hold 1.3 MB, not 80 MB at 8 KiB each). A client that
 * sends more doubles the reads after each that fills its buffer.
 */
const ACCEPTED_READ_SIZE = 128;
/**
 * Bytes asked for per read at first by a connection we made: a client is
 * usually the side that downloads, and starting small costs a bulk download
 * about a quarter of its speed on loopback (lib/tcp/tcp_bench.ts), as the
 * kernel sizes its buffers by how fast the first reads drain them.
 */
export const CONNECTED_READ_SIZE = 8 * 1024;
/** The largest read: a stream whose reads keep filling the buffer doubles it up to this. */
const MAX_READ_SIZE = 1024 * 1024;
/**
 * The bytes all the streams' reads together may ask for, before any may
 * grow its reads past `FREE_READ_SIZE`: like Linux's `tcp_mem`, it keeps a
 * thousand clients that all send at once from taking a megabyte each (a
 * pending read holds its buffer, and one whose bytes wait for their reader
 * another), while one bulk transfer still reads a megabyte at a time.
 */
const READ_BUDGET = 4 * 1024 * 1024;
/**
 * The size any stream's reads may grow to, budget or not: small, since a
 * pending read holds its buffer, and a thousand clients that all send at
 * once would otherwise hold a thousand big ones.
 */
const FREE_READ_SIZE = 8 * 1024;
/** The sizes of the open streams' reads, added up. */
let readSizes = 0;
/**
 * The bytes the streams have received and their readers not yet taken.
 * Past `READ_BUDGET`, a stream that holds 64 KiB of them reads no more
 * until its reader takes some (each may still hold up to its SO_RCVBUF
 * while the total is low).
 */
let receivedBytes = 0;
/**
 * Buffers no stream uses any more, by size, for any stream to take: read
 * buffers no read brought anything into (a stream that closed, or whose
 * reads grew or shrank, before its next read), and large staging buffers
 * whose bytes were all sent. The staging buffers follow the streams
 * sending in bulk at once, not all the streams that ever did.
 */
const spares = new Map<number, Uint8Array[]>();
/**
 * Bytes nobody keeps: `Socket.recv_into(DISCARD)` drops what it receives,
 * as a transport does for a protocol that ignores its input. A stream whose
 * reader drops its bytes this way reads straight into it, 64 KiB at a time,
 * with no buffer of its own: a thousand clients flooding a server that
 * ignores them cost it no memory, and an eighth of the reads. Every such
 * stream reads into it at once, so what it holds means nothing: never look
 * at it. A reader that goes back to `recv` loses what was read ahead for it
 * meanwhile (up to its receive buffer): those bytes were read into this.
 */
export const DISCARD = new Uint8Array(64 * 1024);

/** The bytes of `spares`, and the most it keeps. */
let spareBytes = 0;
const SPARE_BYTES = 16 * 1024 * 1024;

/** A buffer of `size` bytes: a spare one if there is one. */
function bufferOf(size: number): Uint8Array {
  const spare = spares.get(size)?.pop();
  if (spare === undefined) return new Uint8Array(size);
  spareBytes -= size;
  return spare;
}

/**
 * Keeps `buffer` for later, if the spares have room. Only a whole buffer
 * nobody holds a view of and no write still reads: a read buffer no read
 * brought anything into, or a stage whose bytes were all sent.
 */
function keepSpare(buffer: Uint8Array): void {
  const size = buffer.length;
  if (spareBytes + size > SPARE_BYTES) return;
  let kept = spares.get(size);
  if (kept === undefined) spares.set(size, kept = []);
  kept.push(buffer);
  spareBytes += size;
}

/** A received chunk this big is returned by itself, without joining what follows. */
const BIG_CHUNK = 64 * 1024;
/** Outgoing chunks are copied into one write up to this many bytes; a larger one goes alone. */
const STAGE_SIZE = 1024 * 1024;
/**
 * The kernel's listen queue we ask for. Deno binds and listens in one call,
 * before `listen(backlog)` says how long the queue should be, and its
 * default is 511; a longer one keeps a burst of connections from
 * overflowing it while the loop is busy (Linux caps it at
 * `net.core.somaxconn`, 4096 by default). `backlog` then bounds the
 * connections taken from the kernel but not yet accepted.
 */
const KERNEL_BACKLOG = 65535;
/** Staging buffers no bigger than this are each stream's own; larger ones come from the spares. */
const SMALL_STAGE_SIZE = 64 * 1024;

/**
 * Streams closed while bytes they had accepted were still unsent: like a
 * kernel, they go on sending after `close()`. A pending `Conn.write` keeps
 * Deno's process alive, so a reactor that stops drops them
 * ({@linkcode abortLingering}) rather than wait on peers that do not read.
 */
const lingering = new Set<MainStream>();

/**
 * Closes at once every stream still sending after its `close()`, dropping
 * the unsent bytes, as a process that exits does to its sockets' (the
 * reactor calls it at shutdown).
 */
export function abortLingering(): void {
  for (const stream of lingering) stream.abort();
}

/** A connection owned by the main thread. See {@linkcode StreamBackend}. */
export class MainStream implements StreamBackend {
  readonly canBlock = false;
  readonly #conn: Deno.Conn;
  readonly #target: Notifiable;
  readonly #incoming: Uint8Array[] = [];
  #received = 0;
  /** The reader drops what it receives: reads go into `DISCARD`. */
  #discarding = false;
  #reading = false;
  /**
   * The buffer the reads fill, one after the other: each read goes into
   * the room the last one left (from `#readOffset`), and what it brought
   * is handed on as a view, without a copy. Fresh memory is dear (V8 zeroes
   * it, the kernel faults each page in), so each byte of a buffer is read
   * into once: 64 MiB over loopback (`lib/tcp/tcp_bench.ts`) now takes
   * 65.5 MiB of read buffers, against 90 MiB when a read that filled half
   * its buffer took the buffer with it and a smaller one was copied out.
   * (Bare `Deno.Conn` loops reading 64 MiB this way took 15 ms, against
   * 30-80 ms with a fresh 1 MiB buffer per read.) A protocol that keeps a
   * chunk keeps its whole buffer alive, as it did a big read's before.
   */
  #readBuffer: Uint8Array | undefined;
  /** Where in `#readBuffer` the next read goes: the bytes before it were handed on. */
  #readOffset = 0;
  #readSize = 0;
  readonly #minReadSize: number;
  #eof = false;
  readonly #outgoing = emptyChunkQueue();
  #unsent = 0;
  #writing = false;
  #onWritten: ((count: number) => void) | undefined;
  #onWriteFailed: ((error: Error) => void) | undefined;
  #error: Error | undefined;
  #errorTaken = false;
  #closed = false;
  #aborted = false;
  #stage: Uint8Array | undefined;
  #sendBufferSize = BUFFER_SIZE;
  #recvBufferSize = BUFFER_SIZE;

  /**
   * Starts pumping `conn` into the receive buffer.
   *
   * @param target told whenever the readiness may have changed
   */
  constructor(conn: Deno.Conn, target: Notifiable, readSize: number) {
    this.#setReadSize(readSize);
    this.#minReadSize = readSize;
    this.#conn = conn;
    this.#target = target;
    this.#pumpReads();
  }

  // Made when asked for, from the addresses the Conn keeps anyway: not two
  // arrays more held by each of ten thousand connections.
  get local(): Address {
    return addressOf(this.#conn.localAddr);
  }

  get remote(): Address {
    return addressOf(this.#conn.remoteAddr);
  }

  get sendBufferSize(): number {
    return this.#sendBufferSize;
  }

  get recvBufferSize(): number {
    return this.#recvBufferSize;
  }

  setBufferSize(kind: "send" | "recv", bytes: number): void {
    if (kind === "send") {
      this.#sendBufferSize = bytes;
    } else {
      this.#recvBufferSize = bytes;
      this.#pumpReads();
    }
    this.#target.notify();
  }

  setNoDelay(enabled: boolean): void {
    (this.#conn as Deno.TcpConn).setNoDelay?.(enabled);
  }

  events(): number {
    let events = 0;
    if (this.#received > 0 || this.#eof || this.#error) events |= EPOLLIN;
    if (this.#error) events |= EPOLLOUT | EPOLLHUP | (this.#errorTaken ? 0 : EPOLLERR);
    else if (this.#unsent < this.#sendBufferSize) events |= EPOLLOUT;
    return events;
  }

  recv(size: number): Uint8Array {
    this.#setDiscarding(false);
    // Not a view of a read buffer, which a later read would fill again.
    if (!this.#hasReceived("recv") || size === 0) return new Uint8Array(0);
    const first = this.#incoming[0];
    let data: Uint8Array;
    if (first.length >= Math.min(size, BIG_CHUNK) || this.#incoming.length === 1) {
      // The common case, without a copy: the chunks are the stream's own.
      // (A big chunk comes alone, even if more is buffered: a copy costs more.)
      data = first.subarray(0, size);
      if (data.length === first.length) this.#incoming.shift();
      else this.#incoming[0] = first.subarray(size);
    } else {
      data = new Uint8Array(Math.min(size, this.#received));
      this.#copyInto(data);
    }
    this.#setReceived(this.#received - data.length);
    this.#pumpReads();
    return data;
  }

  /**
   * Copies up to `target.length` buffered bytes into `target`, as
   * `recv_into(2)`: no array made. Into `DISCARD`, nothing is copied, and
   * the stream's reads go straight into it from now on.
   */
  recvInto(target: Uint8Array): number {
    this.#setDiscarding(target.buffer === DISCARD.buffer);
    if (!this.#hasReceived("recv_into")) return 0;
    const filled = this.#copyInto(target);
    this.#setReceived(this.#received - filled);
    this.#pumpReads();
    return filled;
  }

  /**
   * Copies received chunks into `target` until it is full or they run out,
   * and returns how many bytes. The caller counts them off `#received`.
   */
  #copyInto(target: Uint8Array): number {
    const incoming = this.#incoming;
    let filled = 0;
    while (filled < target.length && incoming.length > 0) {
      const chunk = incoming[0];
      const take = Math.min(chunk.length, target.length - filled);
      if (target.buffer !== DISCARD.buffer) {
        target.set(take === chunk.length ? chunk : chunk.subarray(0, take), filled);
      }
      filled += take;
      if (take < chunk.length) incoming[0] = chunk.subarray(take);
      else incoming.shift();
    }
    return filled;
  }

  /**
   * True if bytes wait for the reader; false at the end of the stream.
   *
   * @throws the stream's error, once, or {@linkcode WouldBlockError}
   */
  #hasReceived(operation: string): boolean {
    if (this.#received > 0) return true;
    const error = this.takeError();
    if (error) throw error;
    if (this.#eof || this.#error) return false;
    throw wouldBlock(operation);
  }

  send(data: Uint8Array): number {
    const count = this.#room(data.length);
    if (count > 0) this.#queue(data.slice(0, count));
    return count;
  }

  sendmsg(buffers: readonly Uint8Array[]): number {
    let total = 0;
    for (let i = 0; i < buffers.length; i++) total += buffers[i].length;
    const count = this.#room(total);
    let room = count;
    for (let i = 0; i < buffers.length && room > 0; i++) {
      const buffer = buffers[i];
      const part = buffer.length <= room ? buffer : buffer.subarray(0, room);
      if (part.length > 0) this.#queue(part);
      room -= part.length;
    }
    return count;
  }

  takeError(): Error | undefined {
    if (this.#error === undefined || this.#errorTaken) return undefined;
    this.#errorTaken = true;
    return this.#error;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#dropIncoming();
    // Like a kernel, deliver what was accepted by send() before really closing.
    if (this.#unsent === 0 || this.#error) this.#closeConn();
    else lingering.add(this);
  }

  /**
   * Closes at once and drops the bytes not sent yet, as a kernel's close
   * with `SO_LINGER` at 0 would (but Deno has no `SO_LINGER`: the peer sees
   * a clean close after what was already written, not a reset).
   */
  abort(): void {
    this.#closed = true;
    this.#aborted = true;
    // Not spare: a write under way may still be reading it.
    this.#stage = undefined;
    this.#dropIncoming();
    this.#outgoing.length = 0;
    this.#unsent = 0;
    this.#closeConn();
  }

  /** Drops the bytes no reader took. */
  #dropIncoming(): void {
    this.#incoming.length = 0;
    this.#setReceived(0);
  }

  /** How many of `wanted` bytes fit in the send buffer now. */
  #room(wanted: number): number {
    if (this.#error) throw this.takeError() ?? this.#error;
    const count = Math.min(wanted, Math.max(0, this.#sendBufferSize - this.#unsent));
    if (count === 0 && wanted > 0) throw wouldBlock("send");
    return count;
  }

  #queue(data: Uint8Array): void {
    // A chunk that continues the last one in the same buffer (a server
    // writing its poem a slice at a time) joins it as one view: no object
    // per chunk while a write is under way, and no staging copy after it.
    const outgoing = this.#outgoing;
    const last = outgoing[outgoing.length - 1];
    if (
      last !== undefined && last.buffer === data.buffer &&
      last.byteOffset + last.length === data.byteOffset && last.buffer !== this.#stage?.buffer
    ) {
      outgoing[outgoing.length - 1] = new Uint8Array(
        last.buffer,
        last.byteOffset,
        last.length + data.length,
      );
    } else {
      outgoing.push(data);
    }
    this.#unsent += data.length;
    this.#pumpWrites();
  }

  #pumpReads(): void {
    if (this.#reading || this.#eof || this.#error || this.#closed) return;
    const into = this.#discarding ? this.#discardRoom() : this.#readRoom();
    if (into === undefined) return;
    this.#reading = true;
    this.#conn.read(into).then(
      (count) => this.#readDone(into, count),
      (error) => {
        this.#reading = false;
        if (this.#closed) this.#releaseReadBuffer();
        else this.#fail(error);
      },
    );
  }

  /** Where the next read goes, in the stream's own buffer; none while the buffers are full. */
  #readRoom(): Uint8Array | undefined {
    const room = Math.min(this.#readSize, this.#recvBufferSize - this.#received);
    if (room <= 0) return;
    // Past the budget, a stream that holds 64 KiB already waits for its reader to take some.
    if (this.#received >= BIG_CHUNK && receivedBytes + room > READ_BUDGET) return;
    // The read buffer is held while the read is pending, which may be for
    // the rest of the connection's life: one much bigger than the reads now
    // need is let go. So is one with too little room left.
    let buffer = this.#readBuffer;
    if (
      buffer === undefined || buffer.length < this.#readSize ||
      buffer.length > 8 * this.#readSize ||
      buffer.length - this.#readOffset < Math.min(room, this.#readSize / 4)
    ) {
      this.#releaseReadBuffer();
      buffer = this.#readBuffer = bufferOf(this.#readSize);
    }
    const at = this.#readOffset;
    return buffer.subarray(at, at + Math.min(room, buffer.length - at));
  }

  /**
   * Where the next read goes for a reader that drops its bytes: `DISCARD`,
   * as much as the receive buffer has room for (its bytes still count, so a
   * reader that stops reading stops the reads, as a full kernel buffer would).
   */
  #discardRoom(): Uint8Array | undefined {
    this.#releaseReadBuffer();
    const room = Math.min(DISCARD.length, this.#recvBufferSize - this.#received);
    return room > 0 ? DISCARD.subarray(0, room) : undefined;
  }

  #readDone(into: Uint8Array, count: number | null): void {
    this.#reading = false;
    if (this.#closed) return this.#releaseReadBuffer();
    if (count === null) {
      this.#eof = true;
      this.#releaseReadBuffer();
      this.#setReadSize(0);
    } else if (into.buffer === DISCARD.buffer) {
      // Read for a reader that dropped its bytes; one that has gone back to recv() lost them.
      if (this.#discarding) this.#receive(into.subarray(0, count));
    } else {
      this.#receive(into.subarray(0, count));
      this.#readOffset += count;
      this.#resizeReads(count, into.length);
    }
    this.#target.notify();
    this.#pumpReads();
  }

  #receive(chunk: Uint8Array): void {
    this.#incoming.push(chunk);
    this.#setReceived(this.#received + chunk.length);
  }

  /**
   * Switches the reads between the stream's own buffers and `DISCARD`. A
   * reader that stops dropping its bytes loses those read ahead into
   * `DISCARD`, which other streams' reads have overwritten since.
   */
  #setDiscarding(discarding: boolean): void {
    if (discarding === this.#discarding) return;
    this.#discarding = discarding;
    if (discarding) return;
    const kept = this.#incoming.filter((chunk) => chunk.buffer !== DISCARD.buffer);
    let keptBytes = 0;
    for (const chunk of kept) keptBytes += chunk.length;
    this.#incoming.splice(0, this.#incoming.length, ...kept);
    this.#setReceived(keptBytes);
    this.#pumpReads();
  }

  /**
   * A read that filled its buffer: the peer sends fast, read more at once
   * (doubled: to 64 KiB at once, then up to 1 MiB while every stream's read
   * buffers together stay within `READ_BUDGET`). One that took less than an eighth: the burst is
   * over, read about that much, down to the first size.
   */
  #resizeReads(count: number, room: number): void {
    const limit = Math.min(MAX_READ_SIZE, this.#recvBufferSize);
    if (count === room && this.#readSize < limit) {
      const size = Math.min(limit, this.#readSize * 2);
      if (
        size <= FREE_READ_SIZE ||
        readSizes + size - this.#readSize <= READ_BUDGET
      ) {
        this.#setReadSize(size);
      }
    } else if (count < room / 8) {
      this.#setReadSize(Math.max(this.#minReadSize, 2 ** Math.ceil(Math.log2(count))));
    }
  }

  /** Sets how many received bytes wait, keeping the count of every stream's right. */
  #setReceived(bytes: number): void {
    receivedBytes += bytes - this.#received;
    this.#received = bytes;
  }

  /** Sets the size of the reads, keeping the sum of every stream's right (0: reads no more). */
  #setReadSize(size: number): void {
    readSizes += size - this.#readSize;
    this.#readSize = size;
  }

  #pumpWrites(): void {
    if (this.#writing || this.#outgoing.length === 0 || this.#error) return;
    this.#writing = true;
    let chunk = this.#outgoing[0];
    if (this.#outgoing.length > 1 && chunk.length < STAGE_SIZE) chunk = this.#stageChunks();
    // The two handlers are made once per stream, not twice per write.
    this.#conn.write(chunk).then(
      this.#onWritten ??= (count) => this.#written(count),
      this.#onWriteFailed ??= (error) => this.#writeFailed(error),
    );
  }

  #written(count: number): void {
    this.#writing = false;
    if (this.#aborted) return;
    this.#unsent -= count;
    const outgoing = this.#outgoing;
    for (let left = count; left > 0;) {
      const first = outgoing[0];
      if (left < first.length) {
        outgoing[0] = first.subarray(left);
        break;
      }
      left -= first.length;
      // The last chunk is popped: a shift that empties an array gives up its
      // room, which the next write then allocates again.
      if (outgoing.length === 1) outgoing.pop();
      else outgoing.shift();
      // The stage first: reading `buffer` of a small array made by a protocol allocates one.
      if (this.#stage !== undefined && first.buffer === this.#stage.buffer) this.#releaseStage();
    }
    if (this.#closed && this.#unsent === 0) return this.#closeConn();
    if (!this.#closed) this.#target.notify();
    this.#pumpWrites();
  }

  #writeFailed(error: Error): void {
    this.#writing = false;
    if (this.#aborted) return;
    if (this.#closed) this.#closeConn();
    else this.#fail(error);
  }

  /**
   * Deno has no writev: copies the first outgoing chunks into the staging
   * buffer, for one write to carry, and puts them back in the queue as one
   * chunk, a view of the stage. A write that takes only part of it leaves
   * the rest staged: the next one appends the chunks that came meanwhile
   * after it, so each byte is copied once, however the writes split it.
   */
  #stageChunks(): Uint8Array {
    const outgoing = this.#outgoing;
    let stage = this.#stage;
    let start = 0;
    let at = 0;
    let next = 0;
    if (stage !== undefined && outgoing[0].buffer === stage.buffer) {
      // Append to what is still staged, moved to the front when past the middle.
      [start, at, next] = [outgoing[0].byteOffset, outgoing[0].byteOffset + outgoing[0].length, 1];
      if (start > stage.length / 2) {
        stage.copyWithin(0, start, at);
        [start, at] = [0, at - start];
      }
    } else {
      let wanted = 0;
      for (let i = 0; i < outgoing.length && wanted < STAGE_SIZE; i++) wanted += outgoing[i].length;
      stage = this.#stage = wanted > SMALL_STAGE_SIZE
        ? bufferOf(STAGE_SIZE)
        : new Uint8Array(2 ** Math.ceil(Math.log2(wanted)));
    }
    let end = next;
    for (; end < outgoing.length && at + outgoing[end].length <= stage.length; end++) {
      stage.set(outgoing[end], at);
      at += outgoing[end].length;
    }
    if (at === start) return outgoing[0];
    const staged = stage.subarray(start, at);
    outgoing.splice(0, end, staged);
    return staged;
  }

  /** The staged bytes are all sent: the stage is spare, if it is a large one. */
  #releaseStage(): void {
    const stage = this.#stage as Uint8Array;
    this.#stage = undefined;
    if (stage.length === STAGE_SIZE) keepSpare(stage);
  }

  /**
   * Lets the read buffer go, spare if no read brought anything into it yet
   * (its chunks may be anyone's), unless a read still fills it (the read's
   * end calls this again, once the stream is closed).
   */
  #releaseReadBuffer(): void {
    if (this.#reading) return;
    const buffer = this.#readBuffer;
    const spare = this.#readOffset === 0;
    this.#readBuffer = undefined;
    this.#readOffset = 0;
    if (buffer !== undefined && spare) keepSpare(buffer);
  }

  #fail(error: Error): void {
    this.#error ??= error;
    this.#releaseReadBuffer();
    this.#setReadSize(0);
    this.#outgoing.length = 0;
    this.#unsent = 0;
    this.#target.notify();
  }

  #closeConn(): void {
    lingering.delete(this);
    this.#releaseReadBuffer();
    this.#setReadSize(0);
    try {
      this.#conn.close();
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
    }
  }
}

/** A listener owned by the main thread. See {@linkcode ListenerBackend}. */
export class MainListener implements ListenerBackend {
  readonly canBlock = false;
  readonly local: Address;
  readonly #listener: Deno.Listener;
  readonly #notify: () => void;
  readonly #queue: Deno.Conn[] = [];
  #backlog = 0;
  /** The accept under way, if any: until it settles, Deno holds the OS socket open. */
  #accepting: Promise<void> | null = null;
  /** A failed accept, for the next `accept()` once the connections queued before it are taken. */
  #failure: Error | undefined;
  /**
   * A shortage (EMFILE...) was reported, and no accept has been asked of Deno since: the
   * listener reads as readable, as Linux's does while a connection waits in
   * its queue, and the next `accept()` asks again.
   */
  #retry = false;
  #closed = false;

  /**
   * Binds a listener at once (Deno binds and listens in one call).
   *
   * @param listen opens the Deno listener; a test may pass a fake one
   * @throws {Deno.errors.AddrInUse} if the address is taken
   */
  constructor(
    hostname: string,
    port: number,
    notify: () => void,
    listen: (options: Deno.TcpListenOptions) => Deno.Listener = Deno.listen,
  ) {
    this.#listener = listen({ hostname, port, tcpBacklog: KERNEL_BACKLOG });
    this.#notify = notify;
    this.local = addressOf(this.#listener.addr);
  }

  listen(backlog: number): void {
    this.#backlog = backlog;
    this.#pumpAccepts();
  }

  events(): number {
    // As on Linux, a failed accept leaves the socket listening: readable, no EPOLLERR.
    return this.#queue.length > 0 || this.#failure || this.#retry ? EPOLLIN : 0;
  }

  accept(_block: boolean, target: Notifiable): StreamBackend {
    const conn = this.#queue.shift();
    if (conn === undefined) {
      const failure = this.#failure;
      if (failure === undefined) {
        this.#retry = false;
        this.#pumpAccepts();
        throw wouldBlock("accept");
      }
      // Reported once, like an accept(2) that fails. Out of descriptors (or
      // memory), asking Deno again at once would fail again at once while
      // the cause lasts: the next accept() asks, when its caller is ready to.
      this.#failure = undefined;
      if (isShortage(failure)) this.#retry = true;
      else this.#pumpAccepts();
      throw failure;
    }
    this.#pumpAccepts();
    return new MainStream(conn, target, ACCEPTED_READ_SIZE);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#listener.close();
    for (const conn of this.#queue.splice(0)) conn.close();
  }

  released(): Promise<void> {
    return this.#accepting ?? Promise.resolve();
  }

  #pumpAccepts(): void {
    // After a failure, wait until accept() is called again: retrying at once
    // would spin while the cause (no descriptor left) lasts.
    if (this.#accepting || this.#closed || this.#failure || this.#retry) return;
    if (this.#queue.length >= this.#backlog) return;
    this.#accepting = this.#listener.accept().then(
      (conn) => {
        this.#accepting = null;
        if (this.#closed) return conn.close();
        this.#queue.push(conn);
        this.#notify();
        this.#pumpAccepts();
      },
      (error) => {
        this.#accepting = null;
        if (this.#closed) return;
        this.#failure = error;
        this.#notify();
      },
    );
  }
}
