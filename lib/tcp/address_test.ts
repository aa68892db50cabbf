import { assert, assertEquals } from "../testing/asserts.ts";
import { MemoryReactor } from "../testing/memory_reactor.ts";
import { IPv4Address, IPv6Address, tcpAddress } from "./address.ts";
import { ClientFactory } from "./protocol.ts";

// The reprs below are Twisted 22.4's, printed by python3 -c "from
// twisted.internet.address import IPv6Address; print(repr(IPv6Address('TCP', '::1', 10000)))".
Deno.test("IPv6Address prints as Twisted 22.4's repr, flowInfo and scopeID included", () => {
  assertEquals(
    String(new IPv6Address("TCP", "::1", 10000)),
    "IPv6Address(type='TCP', host='::1', port=10000, flowInfo=0, scopeID=0)",
  );
  assertEquals(
    String(new IPv6Address("TCP", "fe80::1", 1, 2, "eth0")),
    "IPv6Address(type='TCP', host='fe80::1', port=1, flowInfo=2, scopeID='eth0')",
  );
  assertEquals(
    String(new IPv4Address("TCP", "127.0.0.1", 10000)),
    "IPv4Address(type='TCP', host='127.0.0.1', port=10000)",
  );
});

Deno.test("tcpAddress() gives an IPv6Address for an IPv6 host, an IPv4Address otherwise", () => {
  assert(tcpAddress("::1", 10000) instanceof IPv6Address);
  assert(tcpAddress("2001:db8::1", 10000) instanceof IPv6Address);
  assert(tcpAddress("127.0.0.1", 10000) instanceof IPv4Address);
  assert(tcpAddress("localhost", 10000) instanceof IPv4Address);
});

Deno.test("connectTCP() to [::1] has an IPv6Address for its destination", () => {
  const reactor = new MemoryReactor();
  const connector = reactor.connectTCP("::1", 10000, new ClientFactory());
  assertEquals(
    String(connector.getDestination()),
    "IPv6Address(type='TCP', host='::1', port=10000, flowInfo=0, scopeID=0)",
  );
});
