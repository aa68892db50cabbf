/**
 * {@linkcode PollReactor}: the reactor that, on every turn, asks each
 * registered descriptor whether it is ready, as `poll(2)` and `select(2)`
 * do. Simple, and its cost grows with the number of descriptors.
 *
 * A script chooses it by installing it before anything uses the reactor,
 * as the tutorial's `simple-poll.py` installs Twisted's `pollreactor`:
 *
 * ```ts ignore
 * import { install } from "../lib/poll_reactor.ts";
 * install();
 * import { reactor } from "../lib/reactor.ts";
 * ```
 *
 * @module
 */

import { ReactorBase, type ReactorOptions } from "./base_reactor.ts";
import { installReactor } from "./reactor.ts";

/** The scanning reactor, named after Twisted's `pollreactor`. */
export class PollReactor extends ReactorBase {
  /** Creates a reactor that is not running yet. See {@linkcode ReactorOptions}. */
  constructor(options: ReactorOptions = {}) {
    super(options);
  }
}

/**
 * Makes a {@linkcode PollReactor} the global reactor. Call it before anything
 * uses the reactor.
 *
 * @throws {ReactorAlreadyInstalledError} if a reactor was already installed or used
 */
export function install(): PollReactor {
  const reactor = new PollReactor();
  installReactor(reactor);
  return reactor;
}
