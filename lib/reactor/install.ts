/**
 * Which reactor is the global one: {@linkcode installReactor}, as Twisted's
 * `twisted.internet.main.installReactor`. Each implementation's `install()`
 * calls it; `reactor.ts` asks it for the reactor, and installs the default
 * one on first use.
 *
 * @module
 */

import { ReactorAlreadyInstalledError } from "../error.ts";
import type { PosixReactorBase } from "./posix_base.ts";

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

/** The installed reactor, or null while none is. */
export function installedReactor(): PosixReactorBase | null {
  return installed;
}
