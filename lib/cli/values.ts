/**
 * The values the scripts' command lines take (ports, addresses, seconds,
 * counts), each checked with one clear line on failure, and the formats
 * the scripts print them in.
 *
 * @module
 */

import { UsageError } from "./command_line.ts";

/** A server or client address. */
export interface PoetryAddress {
  /** Host name or IP address. */
  host: string;
  /** Port number, 1 to 65535. */
  port: number;
}

/**
 * A port number from the command line.
 *
 * @param text what was given
 * @param what how to name it in the message, such as `--port`
 * @param allowZero whether 0 (any free port) is allowed
 * @throws {UsageError} unless it is an integer in range
 */
export function parsePort(text: string, what: string, allowZero = false): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  const lowest = allowZero ? 0 : 1;
  if (!(port >= lowest && port <= 65535)) {
    throw new UsageError(`${what} must be a port number from ${lowest} to 65535, got "${text}"`);
  }
  return port;
}

/**
 * A duration in seconds, such as `0.1`, `2` or `1e-2`.
 *
 * @throws {UsageError} unless it is a finite number, 0 or more
 */
export function parseSeconds(text: string, what: string): number {
  const seconds = /^\s*$/.test(text) ? NaN : Number(text);
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new UsageError(`${what} must be a number of seconds, 0 or more, got "${text}"`);
  }
  return seconds;
}

/**
 * A whole number of at least `minimum`.
 *
 * @throws {UsageError} unless it is an integer, `minimum` or more
 */
export function parseCount(text: string, what: string, minimum = 1): number {
  const count = /^[+-]?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(count) || count < minimum) {
    throw new UsageError(`${what} must be a whole number, ${minimum} or more, got "${text}"`);
  }
  return count;
}

/**
 * An address: a bare port means 127.0.0.1:PORT; otherwise HOST:PORT, with
 * an IPv6 host in brackets (`[::1]:10000`).
 *
 * @throws {UsageError} if it is malformed or the port is out of range
 */
export function parseAddress(text: string): PoetryAddress {
  const match = /^(?:(\[[0-9a-fA-F:.]+\]|[^:\[\]\s]+):)?([^:]*)$/.exec(text);
  if (match === null || match[2] === "") {
    throw new UsageError(`Invalid address "${text}": expected PORT or HOST:PORT`);
  }
  const host = (match[1] ?? "127.0.0.1").replace(/^\[(.*)\]$/, "$1");
  const port = /^\d+$/.test(match[2]) ? Number(match[2]) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new UsageError(`Invalid address "${text}": the port must be a number from 1 to 65535`);
  }
  return { host, port };
}

/**
 * The addresses of a client's command line.
 *
 * @throws {UsageError} if there are none or one is malformed
 */
export function parseAddresses(texts: string[]): PoetryAddress[] {
  if (texts.length === 0) throw new UsageError("No addresses given: name at least one server");
  return texts.map(parseAddress);
}

/** `HOST:PORT`, with an IPv6 host in brackets. */
export function formatAddress({ host, port }: PoetryAddress): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/**
 * A duration the way Python prints a `timedelta`: `H:MM:SS.ffffff`
 * (always with the microseconds).
 */
export function formatDuration(seconds: number): string {
  const micros = Math.round(seconds * 1e6);
  const hours = Math.floor(micros / 3.6e9);
  const minutes = Math.floor(micros / 6e7) % 60;
  const wholeSeconds = Math.floor(micros / 1e6) % 60;
  const fraction = String(micros % 1e6).padStart(6, "0");
  return `${hours}:${String(minutes).padStart(2, "0")}:${
    String(wholeSeconds).padStart(2, "0")
  }.${fraction}`;
}

/** Parses {@linkcode formatDuration}'s output back into seconds (NaN if it is not one). */
export function parseDuration(text: string): number {
  const match = /^(\d+):(\d\d):(\d\d(?:\.\d+)?)$/.exec(text);
  return match ? Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]) : NaN;
}
