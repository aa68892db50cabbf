/**
 * {@linkcode FileDescriptor}: what every transport does whatever its
 * socket, as Twisted's `twisted.internet.abstract.FileDescriptor`: buffer
 * writes and send them when the reactor says the socket can take them,
 * close once the buffer has drained, and let a producer feed it without
 * filling memory.
 *
 * A transport is an `IReadDescriptor` and `IWriteDescriptor` on the
 * reactor that made it: it is a reader while it wants data, and a writer
 * only while its buffer holds something (or a close waits for the
 * buffer), so an idle connection costs the reactor nothing.
 *
 * @module
 */

import { emptyChunkQueue } from "../bytes/bytes.ts";
import { ConnectionDone } from "../error.ts";
import type { Failure } from "../defer/failure.ts";
import type {
  IPullProducer,
  IPushProducer,
  IReactorFDSet,
  IReactorTime,
  IReadDescriptor,
  IWriteDescriptor,
} from "../interfaces.ts";
import type { ReactorTrace } from "../reactor/trace.ts";

/** How many times one `doWrite` may refill from a producer and send again. */
const MAX_ROUNDS = 16;
/**
 * The most bytes one `doWrite` offers the socket, as Twisted's `SEND_LIMIT`:
 * the largest socket send buffer here (lib/tcp/tcp.ts), so the socket is
 * offered all it can take, and never a list of a million small chunks.
 */
const SEND_LIMIT = 1024 * 1024;
/** What a sent chunk's slot holds until the queue is compacted: nothing to keep alive. */
const SENT = new Uint8Array(0);

/** What transports and ports need of the reactor that made them. */
export interface TCPReactor extends IReactorFDSet, IReactorTime {
  /** Reports an error that escaped a protocol's callback; the reactor goes on. */
  reportError(error: unknown, context?: string): void;
  /** Writes one line to the reactor's log, as Twisted's `log.msg`; absent, the line is dropped. */
  msg?(text: string): void;
  /** The reactor's trace, to show the protocol callbacks a `doRead` makes; null or absent when off. */
  readonly trace?: ReactorTrace | null;
}

/**
 * The buffering, closing and producer logic of a transport. Subclasses
 * provide the socket: `fileno`, `doRead`, `writeSomeData`, `logPrefix`.
 */
export abstract class FileDescriptor implements IReadDescriptor, IWriteDescriptor {
  /**
   * Bytes the write buffer may hold before a streaming producer is paused,
   * as Twisted's `bufferSize` (64 KiB).
   */
  bufferSize = 64 * 1024;
  /** True while connected. See {@linkcode ITCPTransport.connected}. */
  connected = false;
  /** True once the connection is lost. */
  disconnected = false;
  /** True once `loseConnection()` was called. See {@linkcode ITCPTransport.disconnecting}. */
  disconnecting = false;
  /** The registered producer, if any. */
  producer: IPushProducer | IPullProducer | null = null;
  /** Whether the producer is a streaming (push) producer. */
  streamingProducer = false;
  /** Whether this transport paused a streaming producer because its buffer was full. */
  producerPaused = false;
  /** The reactor that watches this descriptor. */
  readonly reactor: TCPReactor;
  #queue = emptyChunkQueue();
  #head = 0;
  #queued = 0;
  #reading = false;
  #writing = false;

  /** Creates a descriptor for `reactor`, registered with nothing yet. */
  constructor(reactor: TCPReactor) {
    this.reactor = reactor;
  }

  /** See {@linkcode IFileDescriptor.fileno}. */
  abstract fileno(): number;
  /** See {@linkcode IReadDescriptor.doRead}. */
  abstract doRead(): Error | Failure | void;
  /** See {@linkcode IFileDescriptor.logPrefix}. */
  abstract logPrefix(): string;

  /**
   * Sends what the socket takes now of `chunks`, in order. Twisted's takes
   * one buffer; taking the chunks as they were written lets the socket
   * send them without joining them first (a copy per byte).
   *
   * @returns how many bytes it took (0 if none fit), or the reason the
   *   connection is lost
   */
  protected abstract writeSomeData(chunks: readonly Uint8Array[]): number | Error;

  /** How many bytes wait in the write buffer. */
  get bufferedAmount(): number {
    return this.#queued;
  }

  /** See {@linkcode ITransport.write}. */
  write(data: Uint8Array): void {
    checkBytes(data, "write");
    if (!this.connected || data.length === 0) return;
    this.#queue.push(data);
    this.#queued += data.length;
    this.#maybePauseProducer();
    this.startWriting();
  }

  /** See {@linkcode ITransport.writeSequence}. */
  writeSequence(data: Iterable<Uint8Array>): void {
    const chunks = [...data];
    for (const chunk of chunks) checkBytes(chunk, "writeSequence");
    for (const chunk of chunks) this.write(chunk);
  }

  /**
   * Sends buffered data. When the buffer is empty: stop being a writer,
   * then ask a paused (or pull) producer for more, or finish a
   * `loseConnection()`. See {@linkcode IWriteDescriptor.doWrite}.
   */
  doWrite(): Error | Failure | void {
    // A producer resumed below may refill the buffer at once; while the
    // socket still has room, send that too rather than wait a turn for
    // the reactor to say what it would say: writable.
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const sent = this.#send();
      if (sent instanceof Error) return sent;
      if (this.#queued > 0) return;
      this.stopWriting();
      if (this.producer !== null && (!this.streamingProducer || this.producerPaused)) {
        this.producerPaused = false;
        this.producer.resumeProducing();
        if (this.#queued === 0 || sent === 0) return;
      } else if (this.disconnecting) {
        return new ConnectionDone();
      } else {
        return;
      }
    }
  }

  /**
   * Hands the socket what it takes of the buffer, up to `SEND_LIMIT`;
   * returns how much that was. The buffer is a queue read from `#head`: a
   * sent chunk's slot is emptied at once (its memory can go), and the queue
   * is compacted once most of it is spent, as lib/workers/_queue.ts does,
   * so neither a long queue nor a long-lived one is copied on every call.
   */
  #send(): number | Error {
    if (this.#queued === 0) return 0;
    const queue = this.#queue;
    let end = this.#head;
    for (let offered = 0; end < queue.length && offered < SEND_LIMIT; end++) {
      offered += queue[end].length;
    }
    const sent = this.writeSomeData(
      this.#head === 0 && end === queue.length ? queue : queue.slice(this.#head, end),
    );
    if (sent instanceof Error) return sent;
    this.#queued -= sent;
    for (let left = sent; left > 0;) {
      const chunk = queue[this.#head];
      if (left < chunk.length) {
        queue[this.#head] = chunk.subarray(left);
        break;
      }
      left -= chunk.length;
      queue[this.#head++] = SENT;
    }
    if (this.#queued === 0) {
      // Emptied in place: a new array would cost an allocation at the next write.
      while (queue.length > 0) queue.pop();
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > queue.length) {
      this.#queue = queue.slice(this.#head);
      this.#head = 0;
    }
    return sent;
  }

  /** See {@linkcode ITransport.loseConnection}: stop reading, flush, then close. */
  loseConnection(): void {
    if (!this.connected || this.disconnecting) return;
    this.stopReading();
    this.startWriting();
    this.disconnecting = true;
  }

  /**
   * The connection is lost: stop the producer, stop watching the socket.
   * Subclasses close the socket and tell the protocol.
   * See {@linkcode IFileDescriptor.connectionLost}.
   */
  connectionLost(_reason: Failure): void {
    this.disconnected = true;
    this.connected = false;
    const producer = this.producer;
    this.producer = null;
    if (producer !== null) {
      try {
        producer.stopProducing();
      } catch (error) {
        this.reactor.reportError(error, this.logPrefix());
      }
    }
    this.stopReading();
    this.stopWriting();
    this.#queue = [];
    this.#head = 0;
    this.#queued = 0;
  }

  /** See {@linkcode IConsumer.registerProducer}. */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) {
      throw new Error("Cannot register producer: the previous producer was never unregistered");
    }
    if (this.disconnected) {
      producer.stopProducing();
      return;
    }
    this.producer = producer;
    this.streamingProducer = streaming;
    this.producerPaused = false;
    if (!streaming) producer.resumeProducing();
  }

  /** See {@linkcode IConsumer.unregisterProducer}. */
  unregisterProducer(): void {
    this.producer = null;
    if (this.connected && this.disconnecting) this.startWriting();
  }

  /** Stops reading (and so `dataReceived`) until `resumeProducing()`. See {@linkcode IPushProducer.pauseProducing}. */
  pauseProducing(): void {
    this.stopReading();
  }

  /** Reads again after `pauseProducing()`. See {@linkcode IPushProducer.resumeProducing}. */
  resumeProducing(): void {
    if (this.connected && !this.disconnecting) this.startReading();
  }

  /** Closes the connection. See {@linkcode IProducer.stopProducing}. */
  stopProducing(): void {
    this.loseConnection();
  }

  /** True while registered with the reactor as a reader. */
  get reading(): boolean {
    return this.#reading;
  }

  /** Registers with the reactor as a reader. */
  startReading(): void {
    if (this.#reading) return;
    this.#reading = true;
    this.reactor.addReader(this);
  }

  /** Unregisters as a reader. */
  stopReading(): void {
    if (!this.#reading) return;
    this.#reading = false;
    this.reactor.removeReader(this);
  }

  /** Registers with the reactor as a writer. */
  startWriting(): void {
    if (this.#writing) return;
    this.#writing = true;
    this.reactor.addWriter(this);
  }

  /** Unregisters as a writer. */
  stopWriting(): void {
    if (!this.#writing) return;
    this.#writing = false;
    this.reactor.removeWriter(this);
  }

  /** Pauses a streaming producer once the buffer holds more than `bufferSize`. */
  #maybePauseProducer(): void {
    if (this.producer === null || !this.streamingProducer || this.producerPaused) return;
    if (this.#queued > this.bufferSize) {
      this.producerPaused = true;
      (this.producer as IPushProducer).pauseProducing();
    }
  }
}

/** Throws the TypeError Python 3's Twisted raises for anything but bytes. */
function checkBytes(data: unknown, action: string): void {
  if (!(data instanceof Uint8Array)) {
    const kind = typeof data === "string" ? "a string" : Object.prototype.toString.call(data);
    throw new TypeError(
      `Cannot ${action}: data must be a Uint8Array, got ${kind} (encode text first)`,
    );
  }
}
