/**
 * Protocols and factories, as Twisted's `twisted.internet.protocol`.
 *
 * A {@linkcode Protocol} is the code of one connection: the transport calls
 * its `connectionMade`, `dataReceived` and `connectionLost` as events happen,
 * and it writes through `this.transport`. It never sees a socket. A
 * {@linkcode Factory} makes one protocol per connection and holds what the
 * connections share; a {@linkcode ClientFactory} is also told how each
 * connection attempt goes.
 *
 * @example A protocol that answers each chunk with its length
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { Factory, Protocol } from "./protocol.ts";
 *
 * class Counter extends Protocol {
 *   override dataReceived(data: Uint8Array): void {
 *     this.transport.write(new TextEncoder().encode(`${data.length}\n`));
 *   }
 * }
 *
 * const factory = Factory.forProtocol(Counter);
 * strictEqual(factory.protocol, Counter);
 * ```
 *
 * @module
 */

import type { Failure } from "../defer/failure.ts";
import type {
  IAddress,
  IClientFactory,
  IConnector,
  IProtocol,
  IProtocolFactory,
  ITCPTransport,
} from "../interfaces.ts";

/**
 * The base of every protocol: connection state and `makeConnection`.
 * Override the event methods of {@linkcode Protocol}.
 */
export class BaseProtocol {
  /**
   * True once `makeConnection` has run. As in Twisted it stays true after
   * the connection ends; ask `transport.connected` whether it is still up.
   */
  connected = false;
  #transport: ITCPTransport | undefined;

  /**
   * The connection's transport, set by `makeConnection`.
   *
   * Twisted's is `None` until then; here reading it before throws, so that
   * protocol code can write `this.transport.write(...)` without a check.
   *
   * @throws {Error} before the protocol is connected
   */
  get transport(): ITCPTransport {
    if (this.#transport === undefined) {
      throw new Error("Cannot use transport: the protocol is not connected yet");
    }
    return this.#transport;
  }

  set transport(transport: ITCPTransport) {
    this.#transport = transport;
  }

  /** See {@linkcode IProtocol.makeConnection}. */
  makeConnection(transport: ITCPTransport): void {
    this.connected = true;
    this.transport = transport;
    this.connectionMade();
  }

  /** See {@linkcode IProtocol.connectionMade}. Does nothing; override it. */
  connectionMade(): void {}
}

/** A protocol: override the events you care about. See {@linkcode IProtocol}. */
export class Protocol extends BaseProtocol implements IProtocol {
  /**
   * The factory that built this protocol (set by `buildProtocol`), null if
   * it was made by hand. A subclass narrows its type with `declare factory:
   * MyFactory;`.
   */
  factory: Factory | null = null;

  /** See {@linkcode IProtocol.dataReceived}. Does nothing; override it. */
  dataReceived(_data: Uint8Array): void {}

  /** See {@linkcode IProtocol.connectionLost}. Does nothing; override it. */
  connectionLost(_reason: Failure): void {}

  /** The protocol's name in error reports: its class name. */
  logPrefix(): string {
    return this.constructor.name;
  }
}

/** A protocol class, as a factory's `protocol` field holds it. */
export type ProtocolClass = new () => Protocol;

/**
 * Makes protocols: one per connection, of the class in `protocol`, each
 * with its `factory` set to this factory.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { IPv4Address } from "./address.ts";
 * import { Factory, Protocol } from "./protocol.ts";
 *
 * class Echo extends Protocol {
 *   override dataReceived(data: Uint8Array): void {
 *     this.transport.write(data);
 *   }
 * }
 * class EchoFactory extends Factory {
 *   override protocol = Echo;
 * }
 *
 * const factory = new EchoFactory();
 * const protocol = factory.buildProtocol(new IPv4Address("TCP", "127.0.0.1", 1234));
 * strictEqual(protocol?.factory, factory);
 * ```
 */
export class Factory implements IProtocolFactory {
  /** The protocol class; a subclass sets it: `override protocol = MyProtocol`. */
  protocol: ProtocolClass | null = null;
  /** How many ports and connectors use this factory now. */
  numPorts = 0;

  /**
   * A factory of this class whose `protocol` is `protocol`, as Twisted's
   * `Factory.forProtocol`.
   */
  static forProtocol<F extends Factory>(this: new () => F, protocol: ProtocolClass): F {
    const factory = new this();
    factory.protocol = protocol;
    return factory;
  }

  /**
   * See {@linkcode IProtocolFactory.doStart}. Calls `startFactory` when the
   * first port or connector starts.
   */
  doStart(): void {
    if (this.numPorts === 0) this.startFactory();
    this.numPorts++;
  }

  /**
   * See {@linkcode IProtocolFactory.doStop}. Calls `stopFactory` when the
   * last port or connector stops.
   */
  doStop(): void {
    if (this.numPorts === 0) return;
    this.numPorts--;
    if (this.numPorts === 0) this.stopFactory();
  }

  /** Called when the factory starts being used: open what the protocols share. Does nothing. */
  startFactory(): void {}

  /** Called when the factory is no longer used: close what `startFactory` opened. Does nothing. */
  stopFactory(): void {}

  /**
   * See {@linkcode IProtocolFactory.buildProtocol}: a new `protocol`, its
   * `factory` set to this one. Override it to refuse connections (return
   * null) or to set up each protocol.
   *
   * @throws {Error} if `protocol` is not set
   */
  buildProtocol(_addr: IAddress): Protocol | null {
    if (this.protocol === null) {
      throw new Error(`Cannot build protocol: ${this.constructor.name} has no protocol class`);
    }
    const protocol = new this.protocol();
    protocol.factory = this;
    return protocol;
  }
}

/** A factory for servers (`listenTCP`). Twisted keeps the name for clarity; it adds nothing. */
export class ServerFactory extends Factory {}

/**
 * A factory for clients (`connectTCP`): also told when an attempt starts,
 * fails, or its connection is lost. See {@linkcode IClientFactory}.
 */
export class ClientFactory extends Factory implements IClientFactory {
  /** See {@linkcode IClientFactory.startedConnecting}. Does nothing; override it. */
  startedConnecting(_connector: IConnector): void {}

  /** See {@linkcode IClientFactory.clientConnectionFailed}. Does nothing; override it. */
  clientConnectionFailed(_connector: IConnector, _reason: Failure): void {}

  /** See {@linkcode IClientFactory.clientConnectionLost}. Does nothing; override it. */
  clientConnectionLost(_connector: IConnector, _reason: Failure): void {}
}
