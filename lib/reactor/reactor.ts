/**
 * The global reactor, reached by import as Twisted's is
 * (`from twisted.internet import reactor`):
 *
 * ```ts ignore
 * import { reactor } from "./reactor.ts";
 *
 * reactor.callWhenRunning(() => console.log("Hello from the reactor loop!"));
 * reactor.callLater(1, () => reactor.stop());
 * await reactor.run();
 * ```
 *
 * Importing `reactor` creates nothing: the default implementation, an
 * {@linkcode EPollReactor}, is created the first time the reactor is used.
 * A script that wants another one installs it before that (see
 * `install()` in `poll_reactor.ts` or `epoll_reactor.ts`); installing after first use is an error, as in
 * Twisted. Tests make their own reactors and never touch this one.
 *
 * @module
 */

import type { PosixReactorBase } from "./posix_base.ts";
import { EPollReactor } from "./epoll_reactor.ts";
import { installedReactor, installReactor } from "./install.ts";

/** The global reactor, created on first use if none was installed. */
export function getReactor(): PosixReactorBase {
  const current = installedReactor();
  if (current !== null) return current;
  const created = new EPollReactor();
  installReactor(created);
  return created;
}

/**
 * The global reactor. A stand-in that creates the default implementation
 * on first use (any property read), then forwards everything to it.
 */
export const reactor: PosixReactorBase = new Proxy({} as PosixReactorBase, {
  get(_target, property): unknown {
    const real = getReactor();
    const value = Reflect.get(real, property, real);
    return typeof value === "function" && property !== "constructor" ? value.bind(real) : value;
  },
});
