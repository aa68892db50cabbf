import { assert, assertEquals, assertMatch, assertThrows } from "../testing/asserts.ts";
import { testBothReactors } from "../testing/reactors.ts";
import {
  CannotListenError,
  ConnectError,
  ConnectionDone,
  ConnectionLost,
  ConnectionRefusedError,
  ConnectTimeoutError,
  NotConnectingError,
  UserError,
} from "../error.ts";
import type { Failure } from "../defer/failure.ts";
import type { IAddress, IConnector } from "../interfaces.ts";
import { IPv4Address } from "./address.ts";
import { ClientFactory, Factory, Protocol, ServerFactory } from "./protocol.ts";
import type { Client } from "./client.ts";
import { Port } from "./tcp.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A protocol that records its events in a shared list, with a prefix. */
class Recorder extends Protocol {
  declare factory: RecordingServerFactory | RecordingClientFactory;
  received: Uint8Array[] = [];

  get events(): string[] {
    return this.factory.events;
  }

  override connectionMade(): void {
    this.events.push(`${this.factory.side}: connectionMade`);
    this.factory.onMade(this);
  }

  override dataReceived(data: Uint8Array): void {
    this.events.push(`${this.factory.side}: dataReceived ${decoder.decode(data)}`);
    this.received.push(data);
    this.factory.onData(this, data);
  }

  override connectionLost(reason: Failure): void {
    this.events.push(`${this.factory.side}: connectionLost ${reason.value.name}`);
    this.factory.onLost(this, reason);
  }
}

class RecordingServerFactory extends ServerFactory {
  override protocol = Recorder;
  side = "server";
  onMade: (p: Recorder) => void = () => {};
  onData: (p: Recorder, data: Uint8Array) => void = () => {};
  onLost: (p: Recorder, reason: Failure) => void = () => {};
  constructor(readonly events: string[]) {
    super();
  }
  override startFactory(): void {
    this.events.push("server: startFactory");
  }
  override stopFactory(): void {
    this.events.push("server: stopFactory");
  }
  override buildProtocol(addr: IAddress): Protocol | null {
    this.events.push(`server: buildProtocol ${addr.host}`);
    return super.buildProtocol(addr);
  }
}

class RecordingClientFactory extends ClientFactory {
  override protocol = Recorder;
  side = "client";
  failure: Failure | null = null;
  onMade: (p: Recorder) => void = () => {};
  onData: (p: Recorder, data: Uint8Array) => void = () => {};
  onLost: (p: Recorder, reason: Failure) => void = () => {};
  onDone: () => void = () => {};
  constructor(readonly events: string[]) {
    super();
  }
  override startFactory(): void {
    this.events.push("client: startFactory");
  }
  override stopFactory(): void {
    this.events.push("client: stopFactory");
    this.onDone();
  }
  override buildProtocol(addr: IAddress): Protocol | null {
    this.events.push(`client: buildProtocol ${addr}`);
    return super.buildProtocol(addr);
  }
  override startedConnecting(connector: IConnector): void {
    this.events.push(`client: startedConnecting ${connector.state}`);
  }
  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    this.events.push(`client: clientConnectionFailed ${reason.value.name}`);
    this.failure = reason;
  }
  override clientConnectionLost(connector: IConnector, reason: Failure): void {
    this.events.push(`client: clientConnectionLost ${reason.value.name} ${connector.state}`);
  }
}

/** A port that refuses connections: bound, then closed. */
function refusedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

testBothReactors("a connection's events come in Twisted's order on both sides", async (t) => {
  const events: string[] = [];
  const server = new RecordingServerFactory(events);
  server.onData = (p) => p.transport.loseConnection();
  const port = t.reactor.listenTCP(0, server);
  const client = new RecordingClientFactory(events);
  client.onMade = (p) => p.transport.write(encoder.encode("hello"));
  client.onDone = () => t.reactor.stop();
  const connector = t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
  assertEquals(connector.state, "connecting");
  await t.run();
  const peer = `IPv4Address(type='TCP', host='127.0.0.1', port=${port.getHost().port})`;
  const serverSide = events.filter((e) => e.startsWith("server"));
  const clientSide = events.filter((e) => e.startsWith("client"));
  assertEquals(serverSide, [
    "server: startFactory",
    "server: buildProtocol 127.0.0.1",
    "server: connectionMade",
    "server: dataReceived hello",
    "server: connectionLost ConnectionDone",
    "server: stopFactory", // at reactor shutdown, the port stops
  ]);
  assertEquals(clientSide, [
    "client: startFactory",
    "client: startedConnecting connecting",
    `client: buildProtocol ${peer}`,
    "client: connectionMade",
    "client: connectionLost ConnectionDone",
    "client: clientConnectionLost ConnectionDone disconnected",
    "client: stopFactory",
  ]);
  assertEquals(t.log, []);
});

testBothReactors(
  "a protocol that keeps Protocol's dataReceived has its input read and dropped to the end",
  async (t) => {
    const lost: string[] = [];
    class Deaf extends Protocol {
      override connectionLost(reason: Failure): void {
        lost.push(reason.value.name);
        t.reactor.stop();
      }
    }
    const server = new ServerFactory();
    server.protocol = Deaf;
    const port = t.reactor.listenTCP(0, server);
    const client = new ClientFactory();
    client.protocol = class extends Protocol {
      override connectionMade(): void {
        this.transport.write(new Uint8Array(1024 * 1024).fill(0x6a));
        this.transport.loseConnection();
      }
    };
    t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
    await t.run();
    assertEquals(lost, ["ConnectionDone"], "the server read the megabyte, then saw the end");
  },
);

testBothReactors("transports and ports are the reactor's descriptors", async (t) => {
  const events: string[] = [];
  const server = new RecordingServerFactory(events);
  const port = t.reactor.listenTCP(0, server);
  assert(port instanceof Port);
  assert(t.reactor.getReaders().includes(port as Port), "the port is a reader");
  const client = new RecordingClientFactory(events);
  const seen: string[] = [];
  client.onMade = (p) => {
    const transport = p.transport as Client;
    seen.push(`reader ${t.reactor.getReaders().includes(transport)}`);
    seen.push(`writer ${t.reactor.getWriters().includes(transport)}`);
    transport.write(encoder.encode("x".repeat(100)));
    seen.push(`writer after write ${t.reactor.getWriters().includes(transport)}`);
    t.reactor.callLater(0.05, () => {
      seen.push(`writer once flushed ${t.reactor.getWriters().includes(transport)}`);
      transport.loseConnection();
    });
  };
  client.onDone = () => t.reactor.stop();
  t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
  await t.run();
  assertEquals(seen, [
    "reader true",
    "writer false",
    "writer after write true",
    "writer once flushed false",
  ]);
});

testBothReactors("a refused connection reaches clientConnectionFailed", async (t) => {
  const events: string[] = [];
  const client = new RecordingClientFactory(events);
  client.onDone = () => t.reactor.stop();
  const connector = t.reactor.connectTCP("127.0.0.1", refusedPort(), client);
  await t.run();
  assertEquals(events, [
    "client: startFactory",
    "client: startedConnecting connecting",
    "client: clientConnectionFailed ConnectionRefusedError",
    "client: stopFactory",
  ]);
  const error = client.failure?.value as ConnectionRefusedError;
  assert(error instanceof ConnectionRefusedError && error instanceof ConnectError);
  assertEquals(error.message, "Connection was refused by other side: Connection refused.");
  assert(error.osError instanceof Deno.errors.ConnectionRefused);
  assertEquals(connector.state, "disconnected");
  assertEquals(t.reactor.getDelayedCalls(), [], "the timeout was cancelled");
});

testBothReactors("a connect that permissions refuse is a ConnectError, not a throw", async (t) => {
  const events: string[] = [];
  const client = new RecordingClientFactory(events);
  client.onDone = () => t.reactor.stop();
  t.reactor.connectTCP("10.255.255.1", 80, client);
  await t.run();
  const error = client.failure?.value as ConnectError;
  assertEquals(error.name, "ConnectError");
  assert(error.osError instanceof Deno.errors.NotCapable);
  assertMatch(error.message, /^An error occurred while connecting: Requires net access/);
});

testBothReactors("connectTCP's timeout gives ConnectTimeoutError", async (t) => {
  const events: string[] = [];
  const server = t.reactor.listenTCP(0, new RecordingServerFactory(events));
  const client = new RecordingClientFactory(events);
  client.onDone = () => t.reactor.stop();
  // A timeout of 0 fires in the turn the connect starts, before it can finish.
  t.reactor.connectTCP("127.0.0.1", server.getHost().port, client, 0);
  await t.run();
  const error = client.failure?.value as Error;
  assert(error instanceof ConnectTimeoutError && error instanceof UserError);
  assertEquals(error.message, "User timeout caused connection failure.");
  assertEquals(events.filter((e) => e.startsWith("client")), [
    "client: startFactory",
    "client: startedConnecting connecting",
    "client: clientConnectionFailed ConnectTimeoutError",
    "client: stopFactory",
  ]);
});

testBothReactors("stopConnecting gives UserError; a connector can connect again", async (t) => {
  const events: string[] = [];
  const server = new RecordingServerFactory(events);
  server.onMade = (p) => p.transport.loseConnection();
  const port = t.reactor.listenTCP(0, server);
  const client = new RecordingClientFactory(events);
  let attempts = 0;
  client.clientConnectionFailed = (connector, reason) => {
    events.push(`client: failed ${reason.value.name}`);
    if (++attempts === 1) connector.connect();
  };
  client.onDone = () => t.reactor.stop();
  const connector = t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
  connector.stopConnecting();
  await t.run();
  assertThrows(() => connector.stopConnecting(), NotConnectingError);
  assertEquals(events.filter((e) => e.startsWith("client")), [
    "client: startFactory",
    "client: startedConnecting connecting",
    "client: failed UserError",
    "client: startedConnecting connecting",
    `client: buildProtocol IPv4Address(type='TCP', host='127.0.0.1', port=${port.getHost().port})`,
    "client: connectionMade",
    "client: connectionLost ConnectionDone",
    "client: clientConnectionLost ConnectionDone disconnected",
    "client: stopFactory",
  ]);
});

testBothReactors("stopListening's Deferred fires once the port is closed", async (t) => {
  const events: string[] = [];
  const server = new RecordingServerFactory(events);
  const port = t.reactor.listenTCP(0, server);
  const portNumber = port.getHost().port;
  const client = new RecordingClientFactory(events);
  const results: string[] = [];
  client.onMade = (p) => {
    port.stopListening().addCallback(() => {
      results.push(`stopped, ${server.numPorts} ports`);
      // The open connection goes on after the port has stopped.
      p.transport.write(encoder.encode("still here"));
      const late = new RecordingClientFactory([]);
      late.clientConnectionFailed = (_c, reason) => {
        results.push(`late connect: ${reason.value.name} ${reason.getErrorMessage()}`);
        p.transport.loseConnection();
      };
      t.reactor.connectTCP("127.0.0.1", portNumber, late);
    });
  };
  server.onData = (_p, data) => results.push(`server got ${decoder.decode(data)}`);
  client.onDone = () => t.reactor.stop();
  t.reactor.connectTCP("127.0.0.1", portNumber, client);
  await t.run();
  assertEquals(results.slice(0, 1), ["stopped, 0 ports"]);
  assert(
    results.some((r) => r.startsWith("late connect: ConnectionRefusedError")),
    results.join("; "),
  );
  assert(results.includes("server got still here"), results.join("; "));
  assert(events.includes("server: stopFactory"));
});

testBothReactors("listenTCP on a taken port throws CannotListenError", async (t) => {
  const port = t.reactor.listenTCP(0, Factory.forProtocol(Protocol));
  const number = port.getHost().port;
  const error = assertThrows(
    () => t.reactor.listenTCP(number, Factory.forProtocol(Protocol)),
    CannotListenError,
  );
  assertEquals(
    [error.interface, error.port, error.message],
    ["127.0.0.1", number, `Couldn't listen on 127.0.0.1:${number}: Address already in use.`],
  );
  assert(error.socketError instanceof Deno.errors.AddrInUse);
  const denied = assertThrows(
    () => t.reactor.listenTCP(0, Factory.forProtocol(Protocol), { interface: "10.255.255.1" }),
    CannotListenError,
  );
  assert(denied.socketError instanceof Deno.errors.NotCapable);
  port.stopListening().addCallback(() => t.reactor.stop());
  await t.run();
});

testBothReactors("buildProtocol returning null refuses the connection", async (t) => {
  const events: string[] = [];
  class Refusing extends RecordingServerFactory {
    override buildProtocol(addr: IAddress): Protocol | null {
      events.push(`server: refused ${addr.host}`);
      return null;
    }
  }
  const port = t.reactor.listenTCP(0, new Refusing(events));
  const client = new RecordingClientFactory(events);
  client.onDone = () => t.reactor.stop();
  t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
  await t.run();
  assert(events.includes("server: refused 127.0.0.1"));
  assert(events.includes("client: connectionLost ConnectionDone"), events.join("; "));

  // A client factory may refuse too: the connection closes, and the factory hears of it.
  class RefusingClient extends RecordingClientFactory {
    override buildProtocol(_addr: IAddress): Protocol | null {
      return null;
    }
  }
  assert(new RefusingClient([]).buildProtocol(new IPv4Address("TCP", "h", 1)) === null);
});

testBothReactors("a client factory's null protocol closes the connection", async (t) => {
  const events: string[] = [];
  const port = t.reactor.listenTCP(0, new RecordingServerFactory(events));
  class RefusingClient extends RecordingClientFactory {
    override buildProtocol(_addr: IAddress): Protocol | null {
      this.events.push("client: buildProtocol null");
      return null;
    }
  }
  const client = new RefusingClient(events);
  client.onDone = () => t.reactor.stop();
  t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
  await t.run();
  assertEquals(events.filter((e) => e.startsWith("client")), [
    "client: startFactory",
    "client: startedConnecting connecting",
    "client: buildProtocol null",
    "client: clientConnectionLost ConnectionDone disconnected",
    "client: stopFactory",
  ]);
});

testBothReactors("an error in dataReceived is reported and closes that connection", async (t) => {
  const events: string[] = [];
  const server = new RecordingServerFactory(events);
  let served = 0;
  server.onData = (p) => {
    if (++served === 1) throw new Error("poem parser exploded");
    p.transport.write(encoder.encode("fine"));
  };
  const port = t.reactor.listenTCP(0, server);
  const reasons: string[] = [];
  const connect = (): void => {
    const client = new RecordingClientFactory(events);
    client.onMade = (p) => p.transport.write(encoder.encode("go"));
    client.onData = (p) => p.transport.loseConnection();
    t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
  };
  server.onLost = (_p, reason) => {
    // The reactor went on after the first error: connect again.
    if (reasons.push(reason.getErrorMessage()) === 1) connect();
    else t.reactor.stop();
  };
  connect();
  await t.run();
  assertEquals(reasons, ["poem parser exploded", "Connection was closed cleanly"]);
  assertEquals(t.log.length, 1);
  assertMatch(t.log[0], /^Unhandled error in a reactor callback \(Recorder,0,127\.0\.0\.1\):\n/);
  assertMatch(t.log[0], /poem parser exploded/);
});

testBothReactors("an error in connectionMade is reported and closes that connection", async (t) => {
  const events: string[] = [];
  const server = new RecordingServerFactory(events);
  server.onMade = () => {
    throw new Error("no greeting");
  };
  const reasons: string[] = [];
  server.onLost = (_p, reason) => reasons.push(reason.getErrorMessage());
  const port = t.reactor.listenTCP(0, server);
  const client = new RecordingClientFactory(events);
  client.onDone = () => t.reactor.stop();
  t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
  await t.run();
  assertEquals(reasons, ["no greeting"]);
  assertMatch(t.log.join("\n"), /no greeting/);
  assert(events.includes("client: connectionLost ConnectionDone"));
});

testBothReactors("at shutdown every connection is lost and every port stops", async (t) => {
  const events: string[] = [];
  const server = new RecordingServerFactory(events);
  const port = t.reactor.listenTCP(0, server);
  const client = new RecordingClientFactory(events);
  let made = 0;
  const onMade = (): void => {
    if (++made === 2) t.reactor.stop();
  };
  server.onMade = onMade;
  client.onMade = onMade;
  t.reactor.connectTCP("127.0.0.1", port.getHost().port, client);
  await t.run();
  for (
    const event of [
      "server: connectionLost ConnectionLost",
      "client: connectionLost ConnectionLost",
      "client: clientConnectionLost ConnectionLost disconnected",
      "client: stopFactory",
      "server: stopFactory",
    ]
  ) {
    assert(events.includes(event), `${event} in ${events.join("; ")}`);
  }
  assertEquals([t.reactor.getReaders(), t.reactor.getWriters()], [[], []]);
  assert(
    new ConnectionLost() instanceof Error && !(new ConnectionDone() instanceof ConnectionLost),
  );
});
