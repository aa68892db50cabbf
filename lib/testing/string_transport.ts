/**
 * {@linkcode StringTransport}: a transport that keeps what is written to
 * it in memory, after Twisted's `twisted.internet.testing.StringTransport`,
 * so protocol logic can be tested without sockets or a running reactor.
 *
 * @example Test a protocol's answer
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { Protocol } from "../tcp/protocol.ts";
 * import { StringTransport } from "./string_transport.ts";
 *
 * class Shout extends Protocol {
 *   override dataReceived(data: Uint8Array): void {
 *     this.transport.write(new TextEncoder().encode(new TextDecoder().decode(data).toUpperCase()));
 *   }
 * }
 * const transport = new StringTransport();
 * const protocol = new Shout();
 * protocol.makeConnection(transport);
 * protocol.dataReceived(new TextEncoder().encode("roses"));
 * strictEqual(transport.valueText(), "ROSES");
 * ```
 *
 * @module
 */

import { ConnectionDone } from "../error.ts";
import { Failure } from "../defer/failure.ts";
import type { IProtocol, IPullProducer, IPushProducer, ITCPTransport } from "../interfaces.ts";
import { IPv4Address, type IPv6Address } from "../tcp/address.ts";
import { joinBytes } from "../bytes/bytes.ts";

/**
 * A transport that buffers what is written, and records the rest of its
 * state (closing, producers) without acting on it. Its extra members
 * (`value`, `clear`, `producerState`...) are for tests only.
 */
export class StringTransport implements ITCPTransport {
  /** True until the connection is lost (never, here, unless a test says so). */
  connected = true;
  /** False until `loseConnection()` (or `abortConnection()`) is called. */
  disconnecting = false;
  /** False until `abortConnection()` is called. */
  disconnected = false;
  /** The registered producer, if any. */
  producer: IPushProducer | IPullProducer | null = null;
  /** The `streaming` flag given with the producer, null when none is registered. */
  streaming: boolean | null = null;
  /** This transport as a push producer: "producing", "paused" or "stopped". */
  producerState: "producing" | "paused" | "stopped" = "producing";
  /** The address `getHost()` returns. */
  hostAddr: IPv4Address | IPv6Address;
  /** The address `getPeer()` returns. */
  peerAddr: IPv4Address | IPv6Address;
  #chunks: Uint8Array[] = [];
  #noDelay = false;
  readonly #lenient: boolean;

  /**
   * Makes a connected transport.
   *
   * @param hostAddress `getHost()`'s answer; Twisted's default, 10.0.0.1:12345
   * @param peerAddress `getPeer()`'s answer; Twisted's default, 192.168.1.1:54321
   * @param lenient allow `pauseProducing`/`resumeProducing` after `loseConnection()`
   */
  constructor(
    hostAddress: IPv4Address | IPv6Address = new IPv4Address("TCP", "10.0.0.1", 12345),
    peerAddress: IPv4Address | IPv6Address = new IPv4Address("TCP", "192.168.1.1", 54321),
    lenient = false,
  ) {
    this.hostAddr = hostAddress;
    this.peerAddr = peerAddress;
    this.#lenient = lenient;
  }

  /** Everything written since the last `clear()`. For tests. */
  value(): Uint8Array {
    return joinBytes(this.#chunks);
  }

  /** {@linkcode StringTransport.value}, decoded as UTF-8. For tests. */
  valueText(): string {
    return new TextDecoder().decode(this.value());
  }

  /** Forgets what was written so far. For tests. */
  clear(): void {
    this.#chunks = [];
  }

  /** Buffers a copy of `data`. See {@linkcode ITransport.write}. */
  write(data: Uint8Array): void {
    if (!(data instanceof Uint8Array)) {
      throw new TypeError("Cannot write: data must be a Uint8Array (encode text first)");
    }
    this.#chunks.push(data.slice());
  }

  /** See {@linkcode ITransport.writeSequence}. */
  writeSequence(data: Iterable<Uint8Array>): void {
    for (const chunk of data) this.write(chunk);
  }

  /** Only sets `disconnecting`. See {@linkcode ITransport.loseConnection}. */
  loseConnection(): void {
    this.disconnecting = true;
  }

  /** Sets `disconnected` and `disconnecting`. See {@linkcode ITCPTransport.abortConnection}. */
  abortConnection(): void {
    this.disconnected = true;
    this.loseConnection();
  }

  /** See {@linkcode ITransport.getPeer}. */
  getPeer(): IPv4Address | IPv6Address {
    return this.peerAddr;
  }

  /** See {@linkcode ITransport.getHost}. */
  getHost(): IPv4Address | IPv6Address {
    return this.hostAddr;
  }

  /** See {@linkcode ITCPTransport.getTcpNoDelay}. */
  getTcpNoDelay(): boolean {
    return this.#noDelay;
  }

  /** See {@linkcode ITCPTransport.setTcpNoDelay}. */
  setTcpNoDelay(enabled: boolean): void {
    this.#noDelay = enabled;
  }

  /**
   * Records the producer. See {@linkcode IConsumer.registerProducer}.
   *
   * @throws {Error} if one is registered already
   */
  registerProducer(producer: IPushProducer | IPullProducer, streaming: boolean): void {
    if (this.producer !== null) throw new Error("Cannot register two producers");
    this.producer = producer;
    this.streaming = streaming;
  }

  /**
   * Forgets the producer. See {@linkcode IConsumer.unregisterProducer}.
   *
   * @throws {Error} if none is registered
   */
  unregisterProducer(): void {
    if (this.producer === null) {
      throw new Error("Cannot unregister a producer unless one is registered");
    }
    this.producer = null;
    this.streaming = null;
  }

  /** Sets `producerState` to "paused". See {@linkcode IPushProducer.pauseProducing}. */
  pauseProducing(): void {
    this.#checkState();
    this.producerState = "paused";
  }

  /** Sets `producerState` to "producing". See {@linkcode IPushProducer.resumeProducing}. */
  resumeProducing(): void {
    this.#checkState();
    this.producerState = "producing";
  }

  /** Sets `producerState` to "stopped". See {@linkcode IProducer.stopProducing}. */
  stopProducing(): void {
    this.producerState = "stopped";
  }

  #checkState(): void {
    if (this.disconnecting && !this.#lenient) {
      throw new Error("Cannot resume producing after loseConnection");
    }
    if (this.producerState === "stopped") throw new Error("Cannot resume a stopped producer");
  }
}

/**
 * A {@linkcode StringTransport} whose `loseConnection()` tells its
 * protocol at once, with `ConnectionDone`, as Twisted's
 * `StringTransportWithDisconnection`.
 */
export class StringTransportWithDisconnection extends StringTransport {
  /** The protocol told of the loss; set it before `loseConnection()`. */
  protocol: IProtocol | null = null;

  /** Marks the transport closed and calls the protocol's `connectionLost`. */
  override loseConnection(): void {
    if (!this.connected) return;
    this.connected = false;
    this.disconnecting = true;
    this.protocol?.connectionLost(new Failure(new ConnectionDone("Bye.")));
  }
}
