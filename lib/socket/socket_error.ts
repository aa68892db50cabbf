/**
 * The errors of the socket layer, and the errno numbers Python's `socket`
 * code reasons with.
 *
 * Failures that Deno already names keep Deno's class and message
 * (`Deno.errors.ConnectionRefused`: "Connection refused (os error 111)"), so
 * a socket error looks the same whether it came from the main thread or from
 * the Worker behind a blocking socket. The classes here cover what Deno has
 * no class for: "try again later" ({@linkcode WouldBlockError},
 * {@linkcode InProgressError}) and the odd state error (`EISCONN`).
 *
 * @module
 */

/** Linux errno numbers, as Python's `errno` module has them. */
export const errno = {
  EPERM: 1,
  ENOENT: 2,
  EIO: 5,
  EBADF: 9,
  EAGAIN: 11,
  ENOMEM: 12,
  EACCES: 13,
  EEXIST: 17,
  EINVAL: 22,
  ENFILE: 23,
  EMFILE: 24,
  EPIPE: 32,
  EADDRINUSE: 98,
  EADDRNOTAVAIL: 99,
  ENETUNREACH: 101,
  ECONNABORTED: 103,
  ECONNRESET: 104,
  ENOBUFS: 105,
  EISCONN: 106,
  ENOTCONN: 107,
  ETIMEDOUT: 110,
  ECONNREFUSED: 111,
  EHOSTUNREACH: 113,
  EALREADY: 114,
  EINPROGRESS: 115,
} as const;

const errnoByDenoName: Record<string, number> = {
  NotFound: errno.ENOENT,
  PermissionDenied: errno.EACCES,
  AlreadyExists: errno.EEXIST,
  BrokenPipe: errno.EPIPE,
  AddrInUse: errno.EADDRINUSE,
  AddrNotAvailable: errno.EADDRNOTAVAIL,
  NetworkUnreachable: errno.ENETUNREACH,
  ConnectionAborted: errno.ECONNABORTED,
  ConnectionReset: errno.ECONNRESET,
  NotConnected: errno.ENOTCONN,
  TimedOut: errno.ETIMEDOUT,
  ConnectionRefused: errno.ECONNREFUSED,
  BadResource: errno.EBADF,
  InvalidData: errno.EINVAL,
};

/**
 * Raised by a socket operation that fails with an errno Deno has no error
 * class for, such as `EISCONN` (connecting a socket that is already
 * connected). `errno` and `code` say which.
 */
export class SocketError extends Error {
  /** The errno number, for example 106. */
  readonly errno: number;
  /** The errno name, for example "EISCONN". */
  readonly code: string;

  /**
   * Creates the error.
   *
   * @param code an errno name from {@linkcode errno}
   * @param message what was attempted and why it failed
   */
  constructor(code: keyof typeof errno, message: string) {
    super(message);
    this.name = "SocketError";
    this.code = code;
    this.errno = errno[code];
  }
}

/**
 * Raised when a non-blocking socket cannot do what was asked right now
 * (Python's `BlockingIOError`): try again once `select` or `epoll` reports
 * the socket ready.
 */
export class BlockingIOError extends SocketError {
  /** Creates the error; see {@linkcode SocketError}. */
  constructor(code: "EAGAIN" | "EINPROGRESS" | "EALREADY", message: string) {
    super(code, message);
    this.name = "BlockingIOError";
  }
}

/**
 * Raised by `recv`, `send` or `accept` on a non-blocking socket when there
 * is nothing to read, no room to write, or no connection waiting (`EAGAIN`).
 */
export class WouldBlockError extends BlockingIOError {
  /**
   * Creates the error.
   *
   * @param operation the call that would have blocked, for the message
   */
  constructor(operation = "recv") {
    super("EAGAIN", `Cannot ${operation} now: resource temporarily unavailable (EAGAIN)`);
    this.name = "WouldBlockError";
  }
}

const wouldBlockErrors = new Map<string, WouldBlockError>();

/**
 * The {@linkcode WouldBlockError} of `operation`: one frozen error per
 * operation, thrown every time. Python makes a new `BlockingIOError` each
 * time; here an error costs 1.5-6 µs to make (a load of 10,000 clients spent
 * 0.9 s making the EAGAIN that ends each `doRead`), and EAGAIN is an
 * answer a non-blocking loop expects, not a failure to trace: its stack is
 * where it was first made.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wouldBlock, WouldBlockError } from "./socket_error.ts";
 *
 * assert.ok(wouldBlock("recv") instanceof WouldBlockError);
 * assert.equal(wouldBlock("recv"), wouldBlock("recv"));
 * assert.ok(Object.isFrozen(wouldBlock("send")));
 * ```
 */
export function wouldBlock(operation: string): WouldBlockError {
  let error = wouldBlockErrors.get(operation);
  if (error === undefined) {
    wouldBlockErrors.set(operation, error = Object.freeze(new WouldBlockError(operation)));
  }
  return error;
}

/**
 * Raised by `connect` on a non-blocking socket: the connection has started
 * (`EINPROGRESS`) or is still under way from an earlier call (`EALREADY`).
 * The socket becomes writable when it is established or has failed.
 */
export class InProgressError extends BlockingIOError {
  /**
   * Creates the error.
   *
   * @param address the address being connected to, for the message
   * @param code `EINPROGRESS` for the first call, `EALREADY` after that
   */
  constructor(address: string, code: "EINPROGRESS" | "EALREADY" = "EINPROGRESS") {
    const state = code === "EINPROGRESS"
      ? "operation now in progress"
      : "operation already in progress";
    super(code, `Cannot connect to ${address} yet: ${state} (${code})`);
    this.name = "InProgressError";
  }
}

/**
 * The errno number behind an error: a {@linkcode SocketError}'s own, the
 * "(os error N)" in a Deno error's message, or the errno Deno's error
 * class stands for; `EIO` when nothing says.
 */
export function errnoOf(error: unknown): number {
  if (error instanceof SocketError) return error.errno;
  if (!(error instanceof Error)) return errno.EIO;
  const match = /\(os error (\d+)\)/.exec(error.message);
  if (match) return Number(match[1]);
  return errnoByDenoName[error.name] ?? errno.EIO;
}

const shortages = new Set<number>([errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM]);

/**
 * True for an error that says the process or the system is out of file
 * descriptors or memory (EMFILE, ENFILE, ENOBUFS, ENOMEM): it lasts until
 * something is freed, so trying again at once fails again.
 */
export function isShortage(error: unknown): boolean {
  return shortages.has(errnoOf(error));
}

/**
 * A short, human reason for an error, fit for the end of a line:
 * "Connection refused" for Deno's "Connection refused (os error 111)", and
 * "No such file or directory" for "No such file or directory (os error 2):
 * readfile 'x'".
 */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s*\(os error \d+\)(:.*)?$/, "");
}
