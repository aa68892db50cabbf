/**
 * The errors of the reactor layer, named as in Twisted's
 * `twisted.internet.error`.
 *
 * @module
 */

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
