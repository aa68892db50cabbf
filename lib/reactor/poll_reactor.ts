/**
 * {@linkcode PollReactor}: the reactor that, on every turn, asks each
 * registered descriptor whether it is ready, as `poll(2)` and `select(2)`
 * do. Simple, and its cost grows with the number of descriptors.
 *
 * It is built like Twisted's `SelectReactor` (`selectreactor.py`): the
 * readers and writers are kept in two sets and handed whole to
 * {@linkcode select} on every turn, and a descriptor that went away is
 * found by preening them one by one. Twisted's `PollReactor` instead
 * registers each descriptor with a `poll` object once; the name is the
 * tutorial's (`simple-poll.py` installs `pollreactor`), the scan is
 * `select`'s.
 *
 * A script chooses it by installing it before anything uses the reactor,
 * as the tutorial's `simple-poll.py` installs Twisted's `pollreactor`:
 *
 * ```ts ignore
 * import { install } from "./poll_reactor.ts";
 * install();
 * import { reactor } from "./reactor.ts";
 * ```
 *
 * @module
 */

import type { ReactorOptions } from "./base.ts";
import { ConnectionFdescWentAway } from "../error.ts";
import type { IReadDescriptor, IWriteDescriptor } from "../interfaces.ts";
import { PosixReactorBase } from "./posix_base.ts";
import { installReactor } from "./install.ts";
import { checkSelectable, select } from "../socket/select.ts";

/** The scanning reactor, named after Twisted's `pollreactor`, built like its `SelectReactor`. */
export class PollReactor extends PosixReactorBase {
  readonly #readers = new Set<IReadDescriptor>();
  readonly #writers = new Set<IWriteDescriptor>();

  /** Creates a reactor that is not running yet. See {@linkcode ReactorOptions}. */
  constructor(options: ReactorOptions = {}) {
    super(options);
  }

  /** See {@linkcode IReactorFDSet.addReader}. */
  addReader(reader: IReadDescriptor): void {
    this.#readers.add(reader);
    this.trace?.added(reader, "reader");
    this.wakeUp();
  }

  /** See {@linkcode IReactorFDSet.addWriter}. */
  addWriter(writer: IWriteDescriptor): void {
    this.#writers.add(writer);
    this.trace?.added(writer, "writer");
    this.wakeUp();
  }

  /** See {@linkcode IReactorFDSet.removeReader}. */
  removeReader(reader: IReadDescriptor): void {
    this.#readers.delete(reader);
    this.trace?.removed(reader, "reader");
  }

  /** See {@linkcode IReactorFDSet.removeWriter}. */
  removeWriter(writer: IWriteDescriptor): void {
    this.#writers.delete(writer);
    this.trace?.removed(writer, "writer");
  }

  /** See {@linkcode IReactorFDSet.getReaders}. */
  getReaders(): IReadDescriptor[] {
    return [...this.#readers];
  }

  /** See {@linkcode IReactorFDSet.getWriters}. */
  getWriters(): IWriteDescriptor[] {
    return [...this.#writers];
  }

  /**
   * The wait: hand every registered descriptor to `select`, which checks
   * each one (O(n) per turn), then dispatch the ready ones.
   */
  protected override async doIteration(timeout: number | null, wakeUp: AbortSignal): Promise<void> {
    let readable: IReadDescriptor[];
    let writable: IWriteDescriptor[];
    try {
      [readable, writable] = await select(this.getReaders(), this.getWriters(), timeout, wakeUp);
    } catch (error) {
      if (!(error instanceof Deno.errors.BadResource)) throw error;
      this.#preenDescriptors();
      return;
    }
    // A descriptor dispatched earlier in this turn may have removed another.
    for (const reader of readable) {
      if (!this.#readers.has(reader)) continue;
      this.doReadOrWrite(reader, {
        readable: true,
        writable: false,
        hangup: false,
        isReader: true,
      });
    }
    for (const writer of writable) {
      if (!this.#writers.has(writer)) continue;
      const isReader = (this.#readers as Set<unknown>).has(writer);
      this.doReadOrWrite(writer, { readable: false, writable: true, hangup: false, isReader });
    }
  }

  /**
   * `select` refused a descriptor that is no longer open: find which ones,
   * one by one, and disconnect them, as Twisted's `_preenDescriptors` does.
   */
  #preenDescriptors(): void {
    for (const selectable of new Set([...this.#readers, ...this.#writers])) {
      try {
        checkSelectable(selectable);
      } catch {
        this.disconnectSelectable(selectable, new ConnectionFdescWentAway());
      }
    }
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
