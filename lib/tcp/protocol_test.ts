import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { MemoryReactor, MemoryReactorClock } from "../testing/memory_reactor.ts";
import { StringTransport, StringTransportWithDisconnection } from "../testing/string_transport.ts";
import {
  CannotListenError,
  ConnectError,
  ConnectionAborted,
  ConnectionLost,
  ConnectionRefusedError,
  ConnectTimeoutError,
  DNSLookupError,
  getConnectError,
  NotConnectingError,
  UserError,
} from "../error.ts";
import { Failure } from "../defer/failure.ts";
import type { IConnector } from "../interfaces.ts";
import { IPv4Address } from "./address.ts";
import { ClientFactory, Factory, Protocol, ServerFactory } from "./protocol.ts";

const encoder = new TextEncoder();
const addr = new IPv4Address("TCP", "127.0.0.1", 10000);

Deno.test("IPv4Address prints as Twisted 22.4's repr", () => {
  assertEquals(String(addr), "IPv4Address(type='TCP', host='127.0.0.1', port=10000)");
  assertEquals([addr.type, addr.host, addr.port], ["TCP", "127.0.0.1", 10000]);
});

Deno.test("Protocol.makeConnection sets transport and connected, then calls connectionMade", () => {
  const seen: string[] = [];
  class Greeter extends Protocol {
    override connectionMade(): void {
      seen.push(`made, connected ${this.connected}`);
      this.transport.write(encoder.encode("hello"));
    }
  }
  const protocol = new Greeter();
  assertEquals([protocol.connected, protocol.factory], [false, null]);
  assertThrows(() => protocol.transport, Error, "not connected yet");
  const transport = new StringTransport();
  protocol.makeConnection(transport);
  assertEquals(seen, ["made, connected true"]);
  assertEquals(protocol.transport, transport);
  assertEquals(transport.valueText(), "hello");
  assertEquals(protocol.logPrefix(), "Greeter");
});

Deno.test("Factory.buildProtocol makes the protocol class and sets its factory", () => {
  class Poetry extends Protocol {}
  class PoetryFactory extends ServerFactory {
    override protocol = Poetry;
  }
  const factory = new PoetryFactory();
  const protocol = factory.buildProtocol(addr);
  assert(protocol instanceof Poetry);
  assertEquals(protocol.factory, factory);
  const made = Factory.forProtocol(Poetry);
  assert(made instanceof Factory && made.protocol === Poetry);
  assert(ClientFactory.forProtocol(Poetry) instanceof ClientFactory);
  assertThrows(() => new Factory().buildProtocol(addr), Error, "has no protocol class");
});

Deno.test("Factory.doStart and doStop count users; startFactory and stopFactory run at the ends", () => {
  const seen: string[] = [];
  class Counting extends Factory {
    override startFactory(): void {
      seen.push("start");
    }
    override stopFactory(): void {
      seen.push("stop");
    }
  }
  const factory = new Counting();
  factory.doStart();
  factory.doStart();
  factory.doStop();
  assertEquals([seen, factory.numPorts], [["start"], 1]);
  factory.doStop();
  factory.doStop(); // one too many: ignored
  assertEquals([seen, factory.numPorts], [["start", "stop"], 0]);
});

Deno.test("StringTransport records writes, closing and producers", () => {
  const transport = new StringTransport();
  transport.writeSequence([encoder.encode("a"), encoder.encode("b")]);
  assertEquals(transport.valueText(), "ab");
  transport.clear();
  assertEquals(transport.value().length, 0);
  assertThrows(() => transport.write("text" as unknown as Uint8Array), TypeError);
  const producer = { resumeProducing(): void {}, stopProducing(): void {} };
  transport.registerProducer(producer, false);
  assertThrows(() => transport.registerProducer(producer, true), Error, "two producers");
  assertEquals([transport.producer, transport.streaming], [producer, false]);
  transport.unregisterProducer();
  assertThrows(() => transport.unregisterProducer(), Error);
  transport.pauseProducing();
  assertEquals(transport.producerState, "paused");
  transport.abortConnection();
  assertEquals([transport.disconnecting, transport.disconnected], [true, true]);
  assertThrows(() => transport.resumeProducing(), Error, "after loseConnection");
  assertEquals(
    String(transport.getPeer()),
    "IPv4Address(type='TCP', host='192.168.1.1', port=54321)",
  );
});

Deno.test("StringTransportWithDisconnection tells the protocol on loseConnection", () => {
  const reasons: string[] = [];
  class Listener extends Protocol {
    override connectionLost(reason: Failure): void {
      reasons.push(reason.getErrorMessage());
    }
  }
  const transport = new StringTransportWithDisconnection();
  const protocol = new Listener();
  transport.protocol = protocol;
  protocol.makeConnection(transport);
  transport.loseConnection();
  transport.loseConnection();
  assertEquals(reasons, ["Bye."]);
  assertEquals(transport.connected, false);
});

Deno.test("MemoryReactor records listenTCP and connectTCP, and connects nothing", async () => {
  const reactor = new MemoryReactor();
  const started: IConnector[] = [];
  class Client extends ClientFactory {
    override startedConnecting(connector: IConnector): void {
      started.push(connector);
    }
  }
  const factory = new Client();
  const connector = reactor.connectTCP("127.0.0.1", 10000, factory, 5);
  assertEquals(reactor.tcpClients, [["127.0.0.1", 10000, factory, 5]]);
  assertEquals(started, [connector]);
  assertEquals(String(connector.getDestination()), String(addr));
  connector.stopConnecting();
  assert(connector.stoppedConnecting);
  const server = Factory.forProtocol(Protocol);
  const port = reactor.listenTCP(0, server);
  assertEquals(reactor.tcpServers, [[0, server, 50, "127.0.0.1"]]);
  await port.stopListening();
  assert(port.stopped);
  const ran: string[] = [];
  reactor.callWhenRunning(() => ran.push("running"));
  await reactor.run();
  assertEquals(ran, ["running"]);
});

Deno.test("MemoryReactorClock runs delayed calls when time is advanced", () => {
  const reactor = new MemoryReactorClock();
  const ran: number[] = [];
  reactor.callLater(2, () => ran.push(reactor.seconds()));
  reactor.advance(1);
  assertEquals(ran, []);
  reactor.advance(1);
  assertEquals(ran, [2]);
});

Deno.test("connection errors are built and read as Twisted's", () => {
  const refused = new ConnectionRefusedError(
    new Deno.errors.ConnectionRefused("Connection refused (os error 111)"),
  );
  assertEquals(refused.message, "Connection was refused by other side: Connection refused.");
  assert(refused instanceof ConnectError);
  assertEquals(new ConnectError().message, "An error occurred while connecting.");
  assertEquals(
    new DNSLookupError(undefined, "no.such.host").message,
    "DNS lookup failed: no.such.host.",
  );
  assertEquals(new UserError().message, "User aborted connection.");
  const timeout = new ConnectTimeoutError();
  assert(timeout instanceof UserError);
  assertEquals(timeout.message, "User timeout caused connection failure.");
  const listen = new CannotListenError(
    "",
    10000,
    new Deno.errors.AddrInUse("Address already in use (os error 98)"),
  );
  assertEquals(listen.message, "Couldn't listen on any:10000: Address already in use.");
  assert(new ConnectionAborted() instanceof ConnectionLost);
  assertEquals(new NotConnectingError().name, "NotConnectingError");
  assertEquals(new Failure(new ConnectionAborted()).check(ConnectionLost), ConnectionLost);
});

Deno.test("getConnectError names the failure of a connect", () => {
  const refused = getConnectError(
    new Deno.errors.ConnectionRefused("Connection refused (os error 111)"),
  );
  assert(refused instanceof ConnectionRefusedError);
  const dns = getConnectError(
    new Error("failed to lookup address information: Name or service not known"),
  );
  assert(dns instanceof DNSLookupError);
  assertEquals(
    dns.message,
    "DNS lookup failed: failed to lookup address information: Name or service not known.",
  );
  const denied = getConnectError(new Deno.errors.NotCapable('Requires net access to "x:1"'));
  assertEquals([denied.name, denied.message], [
    "ConnectError",
    'An error occurred while connecting: Requires net access to "x:1".',
  ]);
});
