/**
 * {@linkcode PosixReactorBase}: what both reactors do with file descriptors
 * once their wait has said which are ready, as in Twisted's `posixbase`:
 * call `doRead`/`doWrite`, and when one reports the connection over (or
 * throws), stop watching it and call its `connectionLost`.
 *
 * @module
 */

import { ReactorBase } from "./base.ts";
import { dispatchLabel } from "./trace_labels.ts";
import { ConnectionDone, ConnectionFdescWentAway, ConnectionLost } from "../error.ts";
import { Failure } from "../defer/failure.ts";
import type {
  IClientFactory,
  IConnector,
  IListeningPort,
  IProtocolFactory,
  IReactorFDSet,
  IReactorTCP,
  IReadDescriptor,
  IWriteDescriptor,
  ListenTCPOptions,
} from "../interfaces.ts";
import { Connector } from "../tcp/client.ts";
import { Port } from "../tcp/tcp.ts";
import { abortLingering } from "../socket/socket.ts";

/** A descriptor registered with the reactor, for reading, writing or both. */
export type Selectable = IReadDescriptor | IWriteDescriptor;

/**
 * What a wait reported about one descriptor, already narrowed to what it is
 * registered for: `readable` only for a reader, `writable` only for a writer.
 */
export interface Readiness {
  /** It is a reader and can be read without blocking (or its stream ended). */
  readable: boolean;
  /** It is a writer and can be written without blocking. */
  writable: boolean;
  /** The connection is gone both ways, or has an error (epoll's EPOLLHUP/EPOLLERR). */
  hangup: boolean;
  /** It is registered for reading (a hangup then means a clean end, ConnectionDone). */
  isReader: boolean;
}

/**
 * The file-descriptor half of a reactor. Subclasses keep the registered
 * descriptors in their own structure (that is what differs between them)
 * and report readiness to {@linkcode PosixReactorBase.doReadOrWrite}.
 */
export abstract class PosixReactorBase extends ReactorBase implements IReactorFDSet, IReactorTCP {
  /** See {@linkcode IReactorFDSet.addReader}. */
  abstract addReader(reader: IReadDescriptor): void;
  /** See {@linkcode IReactorFDSet.addWriter}. */
  abstract addWriter(writer: IWriteDescriptor): void;
  /** See {@linkcode IReactorFDSet.removeReader}. */
  abstract removeReader(reader: IReadDescriptor): void;
  /** See {@linkcode IReactorFDSet.removeWriter}. */
  abstract removeWriter(writer: IWriteDescriptor): void;
  /** See {@linkcode IReactorFDSet.getReaders}. */
  abstract getReaders(): IReadDescriptor[];
  /** See {@linkcode IReactorFDSet.getWriters}. */
  abstract getWriters(): IWriteDescriptor[];

  /** See {@linkcode IReactorFDSet.removeAll}. */
  removeAll(): Selectable[] {
    const removed = new Set<Selectable>([...this.getReaders(), ...this.getWriters()]);
    for (const reader of this.getReaders()) this.removeReader(reader);
    for (const writer of this.getWriters()) this.removeWriter(writer);
    return [...removed];
  }

  /**
   * See {@linkcode IReactorTCP.listenTCP}. The port is a reader on this
   * reactor. Unlike Twisted's, the default interface is 127.0.0.1.
   */
  listenTCP(
    port: number,
    factory: IProtocolFactory,
    { backlog = 50, interface: iface = "127.0.0.1" }: ListenTCPOptions = {},
  ): IListeningPort {
    const listening = new Port(port, factory, backlog, iface, this);
    listening.startListening();
    return listening;
  }

  /** See {@linkcode IReactorTCP.connectTCP}. The connection is a descriptor on this reactor. */
  connectTCP(
    host: string,
    port: number,
    factory: IClientFactory,
    timeout: number | null = 30,
  ): IConnector {
    const connector = new Connector(host, port, factory, timeout, this);
    connector.connect();
    return connector;
  }

  /**
   * Calls the descriptor's `doRead` and/or `doWrite` as its readiness says.
   * If it returns a reason, throws (reported on stderr), has lost its
   * descriptor, or the connection hung up, the descriptor is removed and
   * told `connectionLost(reason)`.
   */
  protected doReadOrWrite(selectable: Selectable, readiness: Readiness): void {
    this.trace?.callStarted(dispatchLabel(selectable, readiness));
    let why: unknown;
    try {
      if (selectable.fileno() === -1) {
        why = new ConnectionFdescWentAway();
      } else if (readiness.hangup && !readiness.readable) {
        why = readiness.isReader ? new ConnectionDone() : new ConnectionLost();
      } else {
        if (readiness.readable) why = (selectable as IReadDescriptor).doRead();
        if (!why && readiness.writable) why = (selectable as IWriteDescriptor).doWrite();
      }
    } catch (error) {
      this.reportError(error, selectable.logPrefix());
      why = error;
    }
    if (why) this.disconnectSelectable(selectable, why);
    this.trace?.callEnded();
  }

  /** Stops watching `selectable` and tells it the connection is lost, and why. */
  protected disconnectSelectable(selectable: Selectable, why: unknown): void {
    this.removeReader(selectable as IReadDescriptor);
    this.removeWriter(selectable as IWriteDescriptor);
    const reason = why instanceof Failure ? why : new Failure(why);
    try {
      selectable.connectionLost(reason);
    } catch (error) {
      this.reportError(error, selectable.logPrefix());
    }
  }

  /**
   * When the loop has ended, every descriptor still watched is removed and
   * told its connection is lost, so nothing stays open, as Twisted's
   * `disconnectAll` does at shutdown.
   */
  protected override shutdown(): void {
    for (const selectable of this.removeAll()) {
      try {
        selectable.connectionLost(new Failure(new ConnectionLost()));
      } catch (error) {
        this.reportError(error, selectable.logPrefix());
      }
    }
    // Sockets closed but still sending would hold the process open for as
    // long as their peers do not read: drop what they have not sent.
    abortLingering();
    super.shutdown();
  }
}
