/**
 * The errors of the reactor and of connections, named as in Twisted's
 * `twisted.internet.error`.
 *
 * @module
 */

import { describeError } from "./socket/socket_error.ts";

/** Raised by {@linkcode IDelayedCall.cancel} and friends when the call was already cancelled. */
export class AlreadyCancelled extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(message = "Cannot change delayed call: it was already cancelled") {
    super(message);
    this.name = "AlreadyCancelled";
  }
}

/** Raised by {@linkcode IDelayedCall.cancel} and friends when the call has already run. */
export class AlreadyCalled extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(message = "Cannot change delayed call: it was already called") {
    super(message);
    this.name = "AlreadyCalled";
  }
}

/** Raised by `stop()` when the reactor is not running. */
export class ReactorNotRunning extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(message = "Cannot stop reactor: it is not running") {
    super(message);
    this.name = "ReactorNotRunning";
  }
}

/** Raised by `run()` when the reactor has already run and stopped: a reactor runs once. */
export class ReactorNotRestartable extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(message = "Cannot run reactor: it has already run and is not restartable") {
    super(message);
    this.name = "ReactorNotRestartable";
  }
}

/** Raised by `run()` when the reactor is already running. */
export class ReactorAlreadyRunning extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(message = "Cannot run reactor: it is already running") {
    super(message);
    this.name = "ReactorAlreadyRunning";
  }
}

/**
 * Raised when a script installs a reactor after the default one was already
 * created by its first use.
 */
export class ReactorAlreadyInstalledError extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(message = "Cannot install reactor: a reactor is already installed") {
    super(message);
    this.name = "ReactorAlreadyInstalledError";
  }
}

/** The reason given to `connectionLost` when the connection was closed cleanly. */
export class ConnectionDone extends Error {
  /** Creates the error with a message that says what happened. */
  constructor(message = "Connection was closed cleanly") {
    super(message);
    this.name = "ConnectionDone";
  }
}

/** The reason given to `connectionLost` when the connection was lost in a non-clean way. */
export class ConnectionLost extends Error {
  /** Creates the error with a message that says what happened. */
  constructor(message = "Connection to the other side was lost in a non-clean fashion") {
    super(message);
    this.name = "ConnectionLost";
  }
}

/**
 * The reason given to `connectionLost` when a registered descriptor's
 * `fileno()` returned -1: its socket was closed behind the reactor's back.
 */
export class ConnectionFdescWentAway extends ConnectionLost {
  /** Creates the error with a message that says what happened. */
  constructor(message = "File descriptor lost") {
    super(message);
    this.name = "ConnectionFdescWentAway";
  }
}

/**
 * The reason given to `connectionLost` after `abortConnection()`: the
 * connection was closed at once, its unsent data dropped.
 */
export class ConnectionAborted extends ConnectionLost {
  /** Creates the error with a message that says what happened. */
  constructor(message = "Connection was aborted locally using ITCPTransport.abortConnection.") {
    super(message);
    this.name = "ConnectionAborted";
  }
}

/**
 * Raised by `listenTCP` when it cannot listen on the address asked for:
 * the port is taken (`EADDRINUSE`), the permissions do not allow it, or the
 * interface does not exist. Built as Twisted's, from the interface, the
 * port and the socket error, and its message is Twisted's:
 * "Couldn't listen on 127.0.0.1:10000: Address already in use."
 */
export class CannotListenError extends Error {
  /** The interface asked for ("" means every interface). */
  readonly interface: string;
  /** The port asked for. */
  readonly port: number;
  /** The error the socket layer raised. */
  readonly socketError: unknown;

  /** Creates the error from what was asked for and what the socket layer said. */
  constructor(iface: string, port: number, socketError: unknown) {
    super(`Couldn't listen on ${iface || "any"}:${port}: ${describeError(socketError)}.`);
    this.name = "CannotListenError";
    this.interface = iface;
    this.port = port;
    this.socketError = socketError;
  }
}

/**
 * The reason a connection attempt failed, given to a client factory's
 * `clientConnectionFailed`; its subclasses say why. As in Twisted, the
 * message is the class's summary, then the operating system's reason and
 * any detail: "Connection was refused by other side: Connection refused."
 */
export class ConnectError extends Error {
  /** The error the socket layer or Deno raised, if any (Twisted's `osError`). */
  readonly osError: unknown;

  /**
   * Creates the error.
   *
   * @param osError the underlying error, if any
   * @param detail more words about what happened (Twisted's `string`)
   * @param summary what kind of failure it is; each subclass has its own
   */
  constructor(
    osError?: unknown,
    detail = "",
    summary = "An error occurred while connecting",
  ) {
    let message = summary;
    if (osError !== undefined) message += `: ${describeError(osError)}`;
    if (detail !== "") message += `: ${detail}`;
    super(`${message}.`);
    this.name = "ConnectError";
    this.osError = osError;
  }
}

/** A connection attempt failed because the peer refused it (`ECONNREFUSED`). */
export class ConnectionRefusedError extends ConnectError {
  /** Creates the error; see {@linkcode ConnectError}. */
  constructor(osError?: unknown, detail = "") {
    super(osError, detail, "Connection was refused by other side");
    this.name = "ConnectionRefusedError";
  }
}

/** A connection attempt failed because the host name did not resolve. */
export class DNSLookupError extends ConnectError {
  /** Creates the error; see {@linkcode ConnectError}. */
  constructor(osError?: unknown, detail = "") {
    super(osError, detail, "DNS lookup failed");
    this.name = "DNSLookupError";
  }
}

/**
 * A connection attempt was stopped by the program: `connector.stopConnecting()`
 * (or `disconnect()` while connecting).
 */
export class UserError extends ConnectError {
  /** Creates the error; see {@linkcode ConnectError}. */
  constructor(osError?: unknown, detail = "", summary = "User aborted connection") {
    super(osError, detail, summary);
    this.name = "UserError";
  }
}

/**
 * A connection attempt took longer than the `timeout` given to
 * `connectTCP` and was given up. This is Twisted's
 * `twisted.internet.error.TimeoutError`, renamed here because `lib/mod.ts`'s
 * `TimeoutError` is the Deferred's (`addTimeout`), a different thing.
 */
export class ConnectTimeoutError extends UserError {
  /** Creates the error; see {@linkcode ConnectError}. */
  constructor(osError?: unknown, detail = "") {
    super(osError, detail, "User timeout caused connection failure");
    this.name = "ConnectTimeoutError";
  }
}

/** Raised by `connector.stopConnecting()` when the connector is not connecting. */
export class NotConnectingError extends Error {
  /** Creates the error with a message that says what was attempted. */
  constructor(
    message = "Cannot stop connecting: the connector was not connecting when asked to stop",
  ) {
    super(message);
    this.name = "NotConnectingError";
  }
}

/**
 * A process ended by a signal, as Twisted's `ProcessTerminated`: raised
 * (as the Failure of `getProcessOutput`) instead of taking what a killed
 * process printed for its answer.
 */
export class ProcessTerminated extends Error {
  /** Creates the error for a process that `signal` (such as `SIGINT`) ended. */
  constructor(readonly signal: string) {
    super(`Cannot take the output of the process: it was killed by ${signal}`);
    this.name = "ProcessTerminated";
  }
}

/**
 * The {@linkcode ConnectError} for an error a connect attempt failed with,
 * as Twisted's `error.getConnectError`: `ConnectionRefusedError` for
 * Deno's `ConnectionRefused`, `DNSLookupError` for a host name that did not
 * resolve, a plain `ConnectError` (carrying the error as `osError`) for the
 * rest, such as a connect that Deno's permissions refuse.
 */
export function getConnectError(error: unknown): ConnectError {
  if (error instanceof ConnectError) return error;
  if (error instanceof Deno.errors.ConnectionRefused) return new ConnectionRefusedError(error);
  if (error instanceof Error && /lookup address information/.test(error.message)) {
    return new DNSLookupError(error);
  }
  return new ConnectError(error);
}
