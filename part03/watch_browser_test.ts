// part3:watch's page in a real browser: Debian's chromium, headless, driven
// over the DevTools protocol (lib/testing/chromium.ts). It checks what a
// learner sees, and with WATCH_SCREENSHOT=FILE (deno task part3:watch-screenshot)
// writes the picture chapter 3 shows. Skipped, and says so, only if chromium
// is not installed; .ci/run installs it.
import { assert, assertEquals, assertMatch } from "../lib/testing/asserts.ts";
import {
  Browser,
  type BrowserPage,
  CHROMIUM,
  chromiumInstalled,
  PROFILE_ROOT,
} from "../lib/testing/chromium.ts";
import { POEMS, withServers } from "../lib/testing/poetry_servers.ts";
import { startWatch } from "./_watch_process.ts";

const installed = chromiumInstalled();
if (!installed) {
  console.error(`Skipping part3:watch's browser test: no ${CHROMIUM} (apt-get install chromium)`);
}

/** Where to write the screenshot, if the environment asks for one and it may be written. */
function screenshotFile(): string | undefined {
  const env = Deno.permissions.querySync({ name: "env", variable: "WATCH_SCREENSHOT" });
  return env.state === "granted" ? Deno.env.get("WATCH_SCREENSHOT") : undefined;
}

const title = "document.title";
const click = (id: string): string => `document.getElementById(${JSON.stringify(id)}).click()`;
const text = (id: string): string => `document.getElementById(${JSON.stringify(id)}).innerText`;
/** The delayed calls that ran or were cancelled, newest first: [id, kind]. */
const FIRED = `[...document.querySelectorAll("#fired li")].map((li) =>
  [Number(li.dataset.id), li.dataset.kind, Number(li.textContent.match(/at ([0-9.]+) s/)[1])])`;
/** The rows of registered descriptors: [fd, name, as, read, written]. */
const FDS = `[...document.querySelectorAll("#fds tr[data-fd]")]
  .map((tr) => [...tr.children].map((td) => td.textContent))`;

async function waitForTitle(page: BrowserPage, turn: number, seconds = 15): Promise<void> {
  await page.waitFor(
    `${title} === "reactor turn ${turn}"`,
    `the title reaching turn ${turn}`,
    seconds,
  );
}

/** Pauses, goes back to the start of the run, and steps `turns` turns. */
async function stepTo(page: BrowserPage, turns: number): Promise<void> {
  if (await page.evaluate(`watchStats().mode !== "paused"`)) await page.evaluate(click("pause"));
  await page.evaluate(click("replay"));
  await waitForTitle(page, 0, 2);
  for (let turn = 1; turn <= turns; turn++) {
    await page.evaluate(click("step"));
    await waitForTitle(page, turn, 2);
  }
}

async function watchCountdown(browser: Browser): Promise<void> {
  const watch = await startWatch(["--wait", "part3:countdown"]);
  try {
    const page = await browser.open(watch.url);
    // Live: while the loop waits, the next count() is a delayed call counting down.
    await waitForTitle(page, 2);
    // The title shows turn 2 as soon as its wait ends; the call it schedules comes with the
    // turn's record, at the turn's end.
    await page.waitFor(
      `${text("timers")}.includes("#2 () => this.count()")`,
      "the pending call #2 in the timers pane",
      2,
    );
    assertEquals(await page.evaluate<string>(text("timer-count")), "(1 pending)");
    await waitForTitle(page, 6);
    await page.waitFor(`${text("status")}.includes("ended with status 0")`, "the end of the run");
    // The five delayed calls ran in the order they were scheduled, a second or more apart.
    const fired = await page.evaluate<[number, string, number][]>(FIRED);
    assertEquals(fired.map(([id, kind]) => [id, kind]), [5, 4, 3, 2, 1].map((id) => [id, "ran"]));
    const times = fired.map(([, , at]) => at).reverse();
    for (let i = 1; i < times.length; i++) assert(times[i] - times[i - 1] >= 0.99, `${times}`);
    assertEquals(await page.evaluate<string>(text("timer-count")), "(0 pending)");
    // Step through the recorded run: each turn as it was.
    await stepTo(page, 4);
    assertMatch(await page.evaluate<string>(text("timers")), /#4 \(\) => this\.count\(\)/);
    assertEquals(
      (await page.evaluate<[number, string][]>(FIRED)).map(([id, kind]) => [id, kind]),
      [[3, "ran"], [2, "ran"], [1, "ran"]],
    );
    assertEquals(await page.evaluate<string>(text("woke")), "timer due");
    const file = screenshotFile();
    if (file !== undefined) await Deno.writeFile(file, await page.screenshot());
    // Replay the rest at 10×: the title reaches the last turn again.
    await page.evaluate(`document.getElementById("speed").value = "10";
      document.getElementById("speed").dispatchEvent(new Event("change"))`);
    await page.evaluate(click("pause"));
    await waitForTitle(page, 6, 5);
    // A run saved from the page opens again, and replays from its start.
    const saved = await Deno.makeTempFile({ dir: PROFILE_ROOT, suffix: ".jsonl" });
    try {
      const run = await (await fetch(`${watch.url}run.jsonl`)).text();
      await Deno.writeTextFile(saved, run);
      await page.setFiles("#open", [saved]);
      const count = run.split("\n").filter((line) => line.startsWith("{")).length;
      await page.waitFor(`${text("status")}.includes(" of ${count},")`, "the saved run opened");
      await stepTo(page, 2);
      assertEquals(await page.evaluate<string>(text("task")), "part3:countdown");
      assertMatch(await page.evaluate<string>(text("timers")), /#2 \(\) => this\.count\(\)/);
    } finally {
      await Deno.remove(saved);
    }
  } finally {
    const { code } = await watch.stop();
    assertEquals(code, 130);
  }
}

async function watchClient(browser: Browser, port: number): Promise<void> {
  const watch = await startWatch(["--wait", "part5:get-poetry", String(port)]);
  try {
    const page = await browser.open(watch.url);
    await page.waitFor(`${text("status")}.includes("ended with status 0")`, "the client's end");
    const last = await page.evaluate<number>("watchStats().turn");
    assertEquals(await page.evaluate(FDS), [], "no descriptor left registered");
    // Turn by turn, the client's connection shows up as a reader, and goes.
    const rows: string[][][] = [];
    await stepTo(page, 0);
    for (let turn = 1; turn <= last; turn++) {
      await page.evaluate(click("step"));
      await waitForTitle(page, turn, 2);
      rows.push(await page.evaluate<string[][]>(FDS));
    }
    const reading = rows.findIndex((turn) => turn.some(([, , as]) => as.includes("reader")));
    assert(reading !== -1, "a reader row appeared");
    assertMatch(rows[reading][0][1], /^PoetryClientProtocol|client/i);
    assertEquals(rows.at(-1), [], "and was gone at the end");
    assertMatch(
      await page.evaluate<string>(text("fds")),
      new RegExp(`gone\\s+${POEMS.science.bytes}\\s`),
      "the bytes it read",
    );
  } finally {
    const { code } = await watch.stop();
    assertEquals(code, 130);
  }
}

Deno.test({
  name: "part3:watch in Chromium: the live title, countdown bars, reader rows, step and replay",
  ignore: !installed,
  async fn(): Promise<void> {
    const browser = await Browser.launch();
    try {
      await withServers(["science"], 0.02, 100, async ([port]) => {
        await Promise.all([watchCountdown(browser), watchClient(browser, port)]);
      });
    } finally {
      await browser.close();
    }
  },
});
