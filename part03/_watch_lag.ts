/**
 * Measures how far behind the run `part3:watch`'s page is: starts it on a
 * task, opens the page in headless Chromium, and when the task ends (or
 * after --seconds) prints the page's own figures: how many turns it showed
 * live and the lag between a turn's end in the task and its appearance on
 * the page (50th and 95th percentiles, the largest), for the first and the
 * second half of the run (a growing backlog shows as a second half worse
 * than the first). Also prints the task's last lines of output.
 *
 *     deno task part3:watch-lag part4:get-poetry 10000 10001 10002
 *     deno task part3:watch-lag --seconds 40 part5:slowpoetry --port 10000 poetry/science.txt
 *
 * @module
 */

import { Browser } from "../lib/testing/chromium.ts";
import { startWatch } from "./_watch_process.ts";

interface Stat {
  p50: number;
  p95: number;
  max: number;
}

const seconds = Deno.args[0] === "--seconds" ? Number(Deno.args[1]) : 120;
const positionals = Deno.args.slice(Deno.args[0] === "--seconds" ? 2 : 0);
const browser = await Browser.launch();
const watch = await startWatch(["--wait", ...positionals]);
try {
  const page = await browser.open(watch.url);
  await page.waitFor(
    `document.getElementById("status").textContent.includes("ended")`,
    "the task's end",
    seconds,
  ).catch(() => {});
  const stats = await page.evaluate<
    {
      turns: number;
      all: Stat;
      arrivals: Stat;
      frames: Stat;
      firstHalf: Stat;
      secondHalf: Stat;
      records: number;
      applied: number;
    }
  >("watchStats()");
  const show = (stat: Stat | null): string =>
    stat === null
      ? "none"
      : `p50 ${stat.p50.toFixed(1)} ms, p95 ${stat.p95.toFixed(1)} ms, max ${
        stat.max.toFixed(1)
      } ms`;
  console.log(`turns shown live: ${stats.turns} (records ${stats.applied} of ${stats.records})`);
  console.log(`lag, all turns:   ${show(stats.all)}`);
  console.log(`  of which in the stream, until the page's event: ${show(stats.arrivals)}`);
  console.log(`the page's frames, applying records and drawing: ${show(stats.frames)}`);
  console.log(`lag, first half:  ${show(stats.firstHalf)}`);
  console.log(`lag, second half: ${show(stats.secondHalf)}`);
  const output = await page.evaluate<string[]>("watchStats().output");
  for (const line of output) console.log(`output: ${line}`);
} finally {
  await watch.stop();
  await browser.close();
}
