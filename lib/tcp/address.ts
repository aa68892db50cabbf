/**
 * {@linkcode IPv4Address}: the address of one end of a TCP connection, as
 * Twisted's `twisted.internet.address.IPv4Address`.
 *
 * @module
 */

import type { IAddress } from "../interfaces.ts";

/**
 * An IPv4 address and port, with the transport's type. What
 * `transport.getPeer()`, `getHost()` and a factory's `buildProtocol(addr)`
 * are given.
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
