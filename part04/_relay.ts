/**
 * Helper for chapter 4's scaling benchmark (scaling.ts): the timed relay.
 * Each of the N sockets is registered as a reader; one byte goes round, and
 * each reader that receives it has the peer process send the next byte to
 * another reader, picked at random among all N. So exactly one socket is
 * ready per turn, and each dispatched read costs one turn of the reactor's
 * loop plus the hop through the peer process.
 *
 * @module
 */

import type { EPollReactor } from "../lib/reactor/epoll_reactor.ts";
import { ConnectionLost } from "../lib/error.ts";
import { Failure } from "../lib/defer/failure.ts";
import type { IReadDescriptor } from "../lib/interfaces.ts";
import type { PollReactor } from "../lib/reactor/poll_reactor.ts";
import type { Socket } from "../lib/socket/socket.ts";
import { WouldBlockError } from "../lib/socket/socket_error.ts";
import type { PeerProcess } from "./_peer_process.ts";

/** The reactor classes being compared. */
export type ReactorClass = typeof PollReactor | typeof EPollReactor;
/** Reads before the clock starts, so both reactors are timed with their code compiled. */
const WARMUP = 200;

/** One of the N sockets: reads the byte sent to it and tells the relay. */
class RelayReader implements IReadDescriptor {
  constructor(readonly sock: Socket, readonly relay: Relay) {}

  fileno(): number {
    return this.sock.fileno();
  }

  doRead(): Error | void {
    try {
      if (this.sock.recv(16).length === 0) return new ConnectionLost();
    } catch (error) {
      if (error instanceof WouldBlockError) return;
      throw error;
    }
    this.relay.dispatched();
  }

  connectionLost(reason: Failure): void {
    // At shutdown every reader is told so; only a loss while running is a failure.
    if (this.relay.reactor.running) this.relay.fail(reason);
  }

  logPrefix(): string {
    return "scaling";
  }
}

/** One timed run: a reactor, the N readers, and the byte going round. */
class Relay {
  readonly reactor: PollReactor | EPollReactor;
  readonly #random = mulberry32(2009);
  #done = 0;
  #started = 0;
  /** Milliseconds from the first timed read to the last. */
  elapsed = 0;
  failure: Failure | undefined;

  constructor(Reactor: ReactorClass, readonly peers: PeerProcess, readonly reads: number) {
    this.reactor = new Reactor({ installSignalHandlers: false });
    for (const sock of peers.readers) this.reactor.addReader(new RelayReader(sock, this));
    this.reactor.callWhenRunning(() => this.failure ? this.reactor.stop() : this.#sendToOne());
  }

  dispatched(): void {
    this.#done++;
    if (this.#done === WARMUP) this.#started = performance.now();
    if (this.#done < WARMUP + this.reads) return this.#sendToOne();
    this.elapsed = performance.now() - this.#started;
    this.reactor.stop();
  }

  fail(reason: Failure | Error): void {
    this.failure ??= reason instanceof Failure ? reason : new Failure(reason);
    if (this.reactor.running) this.reactor.stop();
  }

  #sendToOne(): void {
    this.peers.sendTo(Math.floor(this.#random() * this.peers.readers.length));
  }
}

/**
 * Microseconds per dispatched read under a new `Reactor` watching every
 * reader of `peers`, averaged over `reads` reads after an untimed warm-up.
 *
 * @throws {Error} if a socket fails or the peer process exits meanwhile
 */
export async function timeReads(
  Reactor: ReactorClass,
  peers: PeerProcess,
  reads: number,
): Promise<number> {
  const relay = new Relay(Reactor, peers, reads);
  // Without its peer process, the relay would wait for a byte forever.
  peers.exited.then(({ code }) => {
    relay.fail(new Error(`the peer process exited with status ${code}`));
  });
  await relay.reactor.run();
  if (relay.failure) {
    throw new Error(`Cannot time ${Reactor.name}: ${relay.failure.getErrorMessage()}`);
  }
  return (relay.elapsed * 1000) / reads;
}

/** A small seeded generator, so both reactors see the same sequence of sockets. */
function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}
