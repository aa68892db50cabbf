/**
 * The chapter's section 2 shows runs of its scripts: each
 * ```text block starting with `$ deno task ...`. This test runs every one
 * of them again and checks that the lines that do not depend on timing
 * are the ones shown. Times, looks, mailbox names, ports and the
 * "got N bytes" progress lines (their split depends on timing) are
 * masked; servers the chapter ran on ports 10000-10002 are started here on
 * free ports, and 10009 stands for a port that refuses.
 */

import { assertEquals } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";
import { shownOutputs } from "../lib/testing/chapter.ts";
import { type POEMS, refusingPort, withServers } from "../lib/testing/poetry_servers.ts";

/** The poem each server the chapter used was serving, by port. */
const SHOWN_SERVERS: Record<string, keyof typeof POEMS> = {
  "10000": "ecstasy",
  "10001": "fascination",
  "10002": "science",
};
const REFUSING = "10009";

interface ShownRun {
  task: string;
  args: string[];
  lines: string[];
}

function shownRuns(pages: string): ShownRun[] {
  return shownOutputs(pages).flatMap(({ command, lines }) => {
    const words = /^deno task (\S+)(.*)$/.exec(command);
    return words === null
      ? []
      : [{ task: words[1], args: words[2].split(" ").filter(Boolean), lines }];
  });
}

function masked(lines: string[]): string[] {
  return lines
    .filter((line) => !/^Task \d+: got \d+ bytes of poetry from /.test(line))
    .filter((line) => !/^\[… .* …\]$/.test(line))
    .map((line) =>
      line
        .replace(/^\d+\.\d s: /, "T s: ")
        .replace(/\d+\.\d s late$/, "N s late")
        .replace(/after \d+ looks/, "after N looks")
        .replace(/mailbox-[0-9a-f]+/, "mailbox-X")
        .replace(/\d+:\d\d:\d\d\.\d{6}$/, "H:MM:SS.ffffff")
        .replace(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT")
    );
}

async function check(run: ShownRun): Promise<void> {
  const servers = run.args.filter((arg) => arg in SHOWN_SERVERS);
  await withServers(servers.map((port) => SHOWN_SERVERS[port]), 0.002, 30, async (ports) => {
    const refused = String(refusingPort());
    const args = run.args.map((arg) =>
      arg in SHOWN_SERVERS ? String(ports[servers.indexOf(arg)]) : arg === REFUSING ? refused : arg
    );
    const { stdout } = await runTask(run.task, args);
    assertEquals(masked(stdout.trimEnd().split("\n")), masked(run.lines), run.task);
  });
}

Deno.test("chapter 5, page 2 shows what its scripts print", async () => {
  const page = await Deno.readTextFile(new URL("section2_get_poetry.md", import.meta.url));
  const runs = shownRuns(page);
  const tasks = [
    "part5:block-on",
    "part5:get-poetry-callbacks",
    "part5:get-poetry-deferred",
    "part5:get-poetry-await",
    "part5:deferred-chain",
  ];
  for (const task of tasks) {
    assertEquals(runs.some((run) => run.task === task), true, `the chapter shows ${task}`);
  }
  await Promise.all(runs.map(check));
});
