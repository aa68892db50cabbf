/**
 * {@linkcode EPollReactor}, the default reactor: it keeps a ready list that
 * descriptors put themselves on, as Linux's `epoll` does, so a turn costs
 * what is ready, not what is registered.
 *
 * @module
 */

import { ReactorBase, type ReactorOptions } from "./base_reactor.ts";

/** The default reactor, named after Twisted's `epollreactor`. */
export class EPollReactor extends ReactorBase {
  /** Creates a reactor that is not running yet. See {@linkcode ReactorOptions}. */
  constructor(options: ReactorOptions = {}) {
    super(options);
  }
}
