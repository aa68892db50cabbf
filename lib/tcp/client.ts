/**
 * The client side of TCP, as in Twisted's `tcp.py` and `base.py`: a
 * {@linkcode Connector} is what `reactor.connectTCP` returns, and makes a
 * {@linkcode Client} transport per connection attempt. The client
 * connects its socket without blocking, as a reader and a writer on the
 * reactor, and once connected behaves like any {@linkcode Connection}.
 *
 * @module
 */

import {
  ConnectError,
  ConnectTimeoutError,
  getConnectError,
  NotConnectingError,
  UserError,
} from "../error.ts";
import { Failure } from "../defer/failure.ts";
import type { IClientFactory, IConnector, IDelayedCall, IProtocol } from "../interfaces.ts";
import { type Address, Socket } from "../socket/socket.ts";
import { errno, InProgressError, SocketError } from "../socket/socket_error.ts";
import type { TCPReactor } from "./abstract.ts";
import { type IPv4Address, type IPv6Address, tcpAddress } from "./address.ts";
import { Protocol } from "./protocol.ts";
import { Connection } from "./tcp.ts";

/**
 * The transport of an outgoing connection, made by a {@linkcode Connector}.
 * It connects the socket without blocking: registered as a reader and a
 * writer, it finishes the connect when the socket says it has succeeded
 * or failed, then builds the protocol.
 */
export class Client extends Connection {
  readonly #address: Address;
  #connector: Connector | null;
  #connecting = true;
  /** True once the first connect_ex has started the attempt. */
  #started = false;
  #peer: IPv4Address | IPv6Address;
  #host: IPv4Address | IPv6Address = tcpAddress("0.0.0.0", 0);

  /** Starts connecting on the next turn of the reactor, as Twisted does. */
  constructor(host: string, port: number, connector: Connector, reactor: TCPReactor) {
    const socket = new Socket();
    socket.setblocking(false);
    super(socket, new Protocol(), reactor);
    this.#address = [host, port];
    this.#peer = tcpAddress(host, port);
    this.#connector = connector;
    reactor.callLater(0, () => this.#doConnect());
  }

  /** While connecting: see how the connect goes. Then: see {@linkcode Connection.doRead}. */
  override doRead(): Error | void {
    if (this.#connecting) return this.#doConnect();
    return super.doRead();
  }

  /** While connecting: see how the connect goes. Then: see {@linkcode Connection.doWrite}. */
  override doWrite(): Error | Failure | void {
    if (this.#connecting) return this.#doConnect();
    return super.doWrite();
  }

  /**
   * Gives up connecting with `error`, unless connected already: closes the
   * socket and tells the connector (which tells the factory's
   * `clientConnectionFailed`).
   */
  failIfNotConnected(error: Error): void {
    const connector = this.#connector;
    if (this.connected || this.disconnected || connector === null) return;
    this.#connector = null;
    this.stopReading();
    this.stopWriting();
    this.socket.close();
    connector.connectionFailed(new Failure(error));
  }

  /**
   * Before the connection is made: fail the attempt. After: tell the
   * protocol, then the connector. See {@linkcode IFileDescriptor.connectionLost}.
   */
  override connectionLost(reason: Failure): void {
    if (this.disconnected) return;
    if (!this.connected) {
      this.failIfNotConnected(new ConnectError(undefined, reason.getErrorMessage()));
      return;
    }
    super.connectionLost(reason);
    this.#connector?.connectionLost(reason);
  }

  /** See {@linkcode ITransport.getPeer}. */
  getPeer(): IPv4Address | IPv6Address {
    return this.#peer;
  }

  /** See {@linkcode ITransport.getHost}. */
  getHost(): IPv4Address | IPv6Address {
    return this.#host;
  }

  /** See {@linkcode IFileDescriptor.logPrefix}. */
  logPrefix(): string {
    return `${this.protocol.constructor.name},client`;
  }

  #doConnect(): void {
    if (this.#connector === null || !this.#connecting) return;
    // Starting, connect_ex as Twisted's: its EINPROGRESS is the answer
    // expected, and an error made only to be caught costs a stack trace
    // (1.5-6 µs here). Later, connect, whose error says more than an errno
    // when the attempt failed.
    if (!this.#started) {
      this.#started = true;
      if (this.socket.connect_ex(this.#address) === errno.EINPROGRESS) {
        this.startReading();
        this.startWriting();
        return;
      }
    }
    try {
      this.socket.connect(this.#address);
    } catch (error) {
      if (error instanceof InProgressError) {
        this.startReading();
        this.startWriting();
        return;
      }
      if (!(error instanceof SocketError && error.code === "EISCONN")) {
        this.failIfNotConnected(getConnectError(error));
        return;
      }
    }
    this.#connecting = false;
    this.stopReading();
    this.stopWriting();
    this.#connectDone();
  }

  #connectDone(): void {
    const connector = this.#connector as Connector;
    this.#peer = tcpAddress(...this.socket.getpeername());
    this.#host = tcpAddress(...this.socket.getsockname());
    const protocol = connector.buildProtocol(this.#peer);
    this.connected = true;
    if (protocol === null) {
      this.loseConnection();
    } else {
      this.protocol = protocol;
      this.startReading();
      protocol.makeConnection(this);
    }
  }
}

/**
 * A client connection's handle, as `connectTCP` returns it: makes a
 * {@linkcode Client} per attempt and tells the factory how each goes.
 * See {@linkcode IConnector}.
 */
export class Connector implements IConnector {
  /** See {@linkcode IConnector.state}. */
  state: "disconnected" | "connecting" | "connected" = "disconnected";
  /** The transport of the current attempt or connection. */
  transport: Client | null = null;
  /** The factory told of each attempt. */
  readonly factory: IClientFactory;
  readonly #host: string;
  readonly #port: number;
  readonly #timeout: number | null;
  readonly #reactor: TCPReactor;
  #factoryStarted = false;
  #timeoutCall: IDelayedCall | null = null;

  /**
   * Makes a connector; {@linkcode Connector.connect} starts the first attempt.
   *
   * @param timeout seconds before an attempt is given up, or null for never
   */
  constructor(
    host: string,
    port: number,
    factory: IClientFactory,
    timeout: number | null,
    reactor: TCPReactor,
  ) {
    this.#host = host;
    this.#port = port;
    this.factory = factory;
    this.#timeout = timeout;
    this.#reactor = reactor;
  }

  /** See {@linkcode IConnector.connect}. */
  connect(): void {
    if (this.state !== "disconnected") {
      throw new Error(`Cannot connect: the connector is ${this.state}`);
    }
    this.state = "connecting";
    if (!this.#factoryStarted) {
      this.factory.doStart();
      this.#factoryStarted = true;
    }
    const transport = new Client(this.#host, this.#port, this, this.#reactor);
    this.transport = transport;
    if (this.#timeout !== null) {
      this.#timeoutCall = this.#reactor.callLater(
        this.#timeout,
        () => transport.failIfNotConnected(new ConnectTimeoutError()),
      );
    }
    this.factory.startedConnecting(this);
  }

  /** See {@linkcode IConnector.stopConnecting}. */
  stopConnecting(): void {
    if (this.state !== "connecting") throw new NotConnectingError();
    this.state = "disconnected";
    this.transport?.failIfNotConnected(new UserError());
  }

  /** See {@linkcode IConnector.disconnect}. */
  disconnect(): void {
    if (this.state === "connecting") this.stopConnecting();
    else if (this.state === "connected") this.transport?.loseConnection();
  }

  /** See {@linkcode IConnector.getDestination}. */
  getDestination(): IPv4Address | IPv6Address {
    return tcpAddress(this.#host, this.#port);
  }

  /** The connection is made: the factory builds its protocol. */
  buildProtocol(addr: IPv4Address | IPv6Address): IProtocol | null {
    this.state = "connected";
    this.#cancelTimeout();
    return this.factory.buildProtocol(addr);
  }

  /** The attempt failed: tell the factory, and stop it unless it tries again. */
  connectionFailed(reason: Failure): void {
    this.#cancelTimeout();
    this.transport = null;
    this.state = "disconnected";
    this.factory.clientConnectionFailed(this, reason);
    this.#maybeStopFactory();
  }

  /** The connection is lost: tell the factory, and stop it unless it reconnects. */
  connectionLost(reason: Failure): void {
    this.state = "disconnected";
    this.factory.clientConnectionLost(this, reason);
    this.#maybeStopFactory();
  }

  #maybeStopFactory(): void {
    if (this.state !== "disconnected" || !this.#factoryStarted) return;
    this.#factoryStarted = false;
    this.factory.doStop();
  }

  #cancelTimeout(): void {
    if (this.#timeoutCall?.active()) this.#timeoutCall.cancel();
    this.#timeoutCall = null;
  }
}
