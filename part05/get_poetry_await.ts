/**
 * Chapter 5, section 2: the Deferred client again, with code that reads
 * top to bottom. The same task is written twice, side by side: as an
 * `inlineCallbacks` generator, where `yield d` waits for a Deferred and a
 * failure is thrown at the `yield`; and as an `async` function, where
 * `await d` does the same. The generator version is what taught
 * JavaScript (and Python) `async`/`await`. `--async` runs the second.
 *
 *     deno task part5:get-poetry-await 10000 10001 10002
 *     deno task part5:get-poetry-await --async 10000 10001 10002
 *
 * Slow poetry servers must already be listening on those ports
 * (`deno task part2:slowpoetry --port 10000 poetry/ecstasy.txt`, ...).
 *
 * @module
 */

import { parseClientCommandLine, type PoetryAddress } from "../lib/cli/mod.ts";
import { gatherResults } from "../lib/defer/deferred_list.ts";
import { ensureDeferred, inlineCallbacks } from "../lib/defer/inline_callbacks.ts";
import { react } from "../lib/reactor/task.ts";
import { failureLine, report } from "./_poetry_report.ts";
import { reactorClientSpec } from "./get_poetry.ts";
import { getPoetry } from "./get_poetry_deferred.ts";

/** One task with inlineCallbacks: the poem, or null after reporting why there is none. */
export const getPoem = inlineCallbacks(
  function* (taskNum: number, address: PoetryAddress): Generator<unknown, string | null> {
    try {
      const poem: string = yield getPoetry(address.host, address.port, taskNum);
      return poem;
    } catch (error) {
      console.log(failureLine(taskNum, address, error, spec));
      return null;
    }
  },
);

/** The same task with async/await. */
export async function getPoemAsync(
  taskNum: number,
  address: PoetryAddress,
): Promise<string | null> {
  try {
    const poem: string = await getPoetry(address.host, address.port, taskNum);
    return poem;
  } catch (error) {
    console.log(failureLine(taskNum, address, error, spec));
    return null;
  }
}

const spec = reactorClientSpec(
  "part5:get-poetry-await",
  "The Get Poetry Now! client written with inlineCallbacks (or, with --async, with\n" +
    "async/await): downloads a poem from every ADDRESS (PORT or HOST:PORT) at the same time.",
  { async: { type: "boolean", help: "run the async/await version" } },
);

if (import.meta.main) {
  const { addresses, print, values } = parseClientCommandLine(spec);
  const getOne = values.async ? getPoemAsync : getPoem;
  await react(() => {
    const started = performance.now();
    const poems = new Map<number, string>();
    const tasks = addresses.map((address, index) =>
      ensureDeferred(getOne(index + 1, address)).addCallback((poem) => {
        if (poem !== null) poems.set(index + 1, poem);
      })
    );
    return gatherResults(tasks).addCallback(() => {
      report(poems, addresses.length, started, print);
    });
  });
}
