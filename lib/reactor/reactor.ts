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
 * `lib/reactor/poll_reactor.ts`); installing after first use is an error, as in
 * Twisted. Tests make their own reactors and never touch this one.
 *
 * @module
 */

import type { PosixReactorBase } from "./posix_base.ts";
import { EPollReactor } from "./epoll_reactor.ts";
import { ReactorAlreadyInstalledError } from "../error.ts";

let installed: PosixReactorBase | null = null;

/**
 * Makes `newReactor` the global reactor.
 *
 * @throws {ReactorAlreadyInstalledError} if a reactor was already installed,
 *   or the default one was created by a first use
 */
export function installReactor(newReactor: PosixReactorBase): void {
  if (installed !== null) {
    throw new ReactorAlreadyInstalledError(
      `Cannot install ${newReactor.constructor.name}: the ${installed.constructor.name} is already ` +
        "installed or in use; install the reactor first, before anything uses it",
    );
  }
  installed = newReactor;
}

/** The global reactor, created on first use if none was installed. */
export function getReactor(): PosixReactorBase {
  installed ??= new EPollReactor();
  return installed;
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
