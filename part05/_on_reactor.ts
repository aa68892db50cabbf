/**
 * The frame of the section 4 scripts: run an async `main` on the global
 * reactor, and stop the reactor when it is done.
 *
 * @module
 */

import { reactor } from "../lib/reactor/reactor.ts";

/**
 * Runs `main` once the reactor runs and stops the reactor when `main` is
 * done; resolves when the reactor has stopped. An error is reported on
 * stderr with exit status 1, unless Ctrl-C stopped the reactor first: the
 * calls that cut short then fail (their thread pool was stopped), as expected.
 */
export async function runOnReactor(main: () => Promise<void>): Promise<void> {
  reactor.callWhenRunning(() => {
    main().then(() => {
      if (reactor.running) reactor.stop();
    }, (error) => {
      if (!reactor.running) return;
      console.error(`error: ${error instanceof Error ? error.message : error}`);
      Deno.exitCode = 1;
      reactor.stop();
    });
  });
  await reactor.run();
}
