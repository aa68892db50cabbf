/**
 * Test helpers for protocols on real loopback connections: a protocol
 * whose events are hooks, and a conversation between two of them (a
 * server and a client) that runs until both connections are lost.
 *
 * @module
 */

import type { Failure } from "../defer/failure.ts";
import type { PosixReactorBase } from "../reactor/posix_base.ts";
import { ClientFactory, Factory, Protocol, ServerFactory } from "../tcp/protocol.ts";
import { joinBytes } from "../bytes/bytes.ts";

/** What a {@linkcode Peer} does on each event; each hook is optional. */
export interface PeerHooks {
  /** On connectionMade. */
  made?(peer: Peer): void;
  /** On dataReceived, after the chunk was recorded. */
  data?(peer: Peer, data: Uint8Array): void;
  /** On connectionLost, after the reason was recorded. */
  lost?(peer: Peer, reason: Failure): void;
}

/** A protocol that records what it receives and calls its hooks. */
export class Peer extends Protocol {
  /** The chunks received, as `dataReceived` got them. */
  readonly chunks: Uint8Array[] = [];
  /** The reason given to `connectionLost`, once lost. */
  reason: Failure | null = null;
  /** Called once the connection is lost. */
  onLost: () => void = () => {};

  /** Makes a peer that calls `hooks`. */
  constructor(readonly hooks: PeerHooks = {}) {
    super();
  }

  /** Every byte received so far, joined. */
  get received(): Uint8Array {
    return joinBytes(this.chunks);
  }

  override connectionMade(): void {
    this.hooks.made?.(this);
  }

  override dataReceived(data: Uint8Array): void {
    this.chunks.push(data);
    this.hooks.data?.(this, data);
  }

  override connectionLost(reason: Failure): void {
    this.reason = reason;
    this.hooks.lost?.(this, reason);
    this.onLost();
  }
}

/**
 * Listens on a free port with a server {@linkcode Peer}, connects a
 * client {@linkcode Peer} to it, runs the reactor until both connections
 * are lost (then stops it), and returns both.
 */
export async function converse(
  reactor: PosixReactorBase,
  run: () => Promise<void>,
  serverHooks: PeerHooks,
  clientHooks: PeerHooks,
): Promise<{ server: Peer; client: Peer }> {
  const server = new Peer(serverHooks);
  const client = new Peer(clientHooks);
  let lost = 0;
  const port = reactor.listenTCP(0, new OneProtocolFactory(server));
  server.onLost = client.onLost = (): void => {
    if (++lost === 2) port.stopListening().addCallback(() => reactor.stop());
  };
  reactor.connectTCP("127.0.0.1", port.getHost().port, new OneProtocolClientFactory(client));
  await run();
  return { server, client };
}

/** A factory that serves one connection with a given protocol instance. */
class OneProtocolFactory extends Factory {
  constructor(readonly instance: Protocol) {
    super();
  }
  override buildProtocol(): Protocol {
    this.instance.factory = this;
    return this.instance;
  }
}

/** The client side of {@linkcode OneProtocolFactory}. */
class OneProtocolClientFactory extends ClientFactory {
  constructor(readonly instance: Protocol) {
    super();
  }
  override buildProtocol(): Protocol {
    this.instance.factory = this;
    return this.instance;
  }
}

/**
 * The smallest exchange that moves bytes both ways through the reactor: a
 * `Greeter` server writes `hello` and hangs up, a `Listener` client stops
 * the reactor once the connection is lost. Runs the reactor until then.
 */
export async function greetOnce(reactor: PosixReactorBase): Promise<void> {
  class Greeter extends Protocol {
    override connectionMade(): void {
      this.transport.write(new TextEncoder().encode("hello"));
      this.transport.loseConnection();
    }
  }
  class Listener extends Protocol {
    override connectionLost(_reason: Failure): void {
      reactor.stop();
    }
  }
  const port = reactor.listenTCP(0, ServerFactory.forProtocol(Greeter));
  reactor.connectTCP("127.0.0.1", port.getHost().port, ClientFactory.forProtocol(Listener));
  await reactor.run();
}
