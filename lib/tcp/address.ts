/**
 * {@linkcode IPv4Address} and {@linkcode IPv6Address}: the address of one
 * end of a TCP connection, as Twisted's `twisted.internet.address` has
 * them, and {@linkcode tcpAddress}, which picks the one that fits a host
 * as Twisted's `tcp.py` picks its `_addressType`.
 *
 * @module
 */

import type { IAddress } from "../interfaces.ts";

/**
 * An IPv4 address and port, with the transport's type. What
 * `transport.getPeer()`, `getHost()` and a factory's `buildProtocol(addr)`
 * are given when the connection is over IPv4.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { IPv4Address } from "./address.ts";
 *
 * const addr = new IPv4Address("TCP", "127.0.0.1", 10000);
 * strictEqual(String(addr), "IPv4Address(type='TCP', host='127.0.0.1', port=10000)");
 * ```
 */
export class IPv4Address implements IAddress {
  /**
   * Creates the address.
   *
   * @param type "TCP" (Twisted also has "UDP")
   * @param host the IP address, such as "127.0.0.1"
   * @param port the port number
   */
  constructor(readonly type: "TCP" | "UDP", readonly host: string, readonly port: number) {}

  /** Twisted 22.4's repr: `IPv4Address(type='TCP', host='127.0.0.1', port=10000)`. */
  toString(): string {
    return `IPv4Address(type='${this.type}', host='${this.host}', port=${this.port})`;
  }
}

/**
 * An IPv6 address and port, with the transport's type and, as in Twisted
 * 22.4, the flow label and the scope. What `getPeer()` and `getHost()` give
 * for a connection over IPv6, such as one to `[::1]`. Deno's sockets do not
 * report the flow label or the scope, so they are 0 unless given.
 *
 * @example
 * ```ts
 * import { strictEqual } from "node:assert/strict";
 * import { IPv6Address } from "./address.ts";
 *
 * const addr = new IPv6Address("TCP", "::1", 10000);
 * strictEqual(String(addr), "IPv6Address(type='TCP', host='::1', port=10000, flowInfo=0, scopeID=0)");
 * ```
 */
export class IPv6Address implements IAddress {
  /**
   * Creates the address.
   *
   * @param type "TCP" (Twisted also has "UDP")
   * @param host the IP address, such as "::1", without brackets
   * @param port the port number
   * @param flowInfo the IPv6 flow label
   * @param scopeID the scope (an interface's name or index) of a link-local address
   */
  constructor(
    readonly type: "TCP" | "UDP",
    readonly host: string,
    readonly port: number,
    readonly flowInfo: number = 0,
    readonly scopeID: string | number = 0,
  ) {}

  /** Twisted 22.4's repr: `IPv6Address(type='TCP', host='::1', port=10000, flowInfo=0, scopeID=0)`. */
  toString(): string {
    const scope = typeof this.scopeID === "string" ? `'${this.scopeID}'` : this.scopeID;
    return `IPv6Address(type='${this.type}', host='${this.host}', port=${this.port}, ` +
      `flowInfo=${this.flowInfo}, scopeID=${scope})`;
  }
}

/**
 * The address of a TCP endpoint: an {@linkcode IPv6Address} when `host` is
 * an IPv6 address (it has a colon, which no host name or IPv4 address has,
 * as Twisted's `isIPv6Address` decides), an {@linkcode IPv4Address}
 * otherwise.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { IPv4Address, IPv6Address, tcpAddress } from "./address.ts";
 *
 * ok(tcpAddress("::1", 10000) instanceof IPv6Address);
 * ok(tcpAddress("127.0.0.1", 10000) instanceof IPv4Address);
 * ok(tcpAddress("localhost", 10000) instanceof IPv4Address);
 * ```
 */
export function tcpAddress(host: string, port: number): IPv4Address | IPv6Address {
  return host.includes(":")
    ? new IPv6Address("TCP", host, port)
    : new IPv4Address("TCP", host, port);
}
