import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runTask, taskArgs } from "../lib/testing/run_task.ts";
import { scriptArgs } from "./_processes.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
/** Lines that depend on when bytes arrived: reads, which poem ended first, the charts. */
const TIMING = [
  /^Task \d+: got \d+ bytes of poetry from 127\.0\.0\.1:\d+$/,
  /^Task \d+ finished$/,
  /^Task \d+ +\|/,
  /^ +[+-]+$/,
  /^ +0 .* s$/,
  /^Wrote /,
];

/** The ports the race's servers listened on, from its "Serving ... on port N:" lines. */
function serverPorts(stdout: string): number[] {
  return [...stdout.matchAll(/^Serving poetry\/\w+\.txt on port (\d+):/gm)].map((match) =>
    Number(match[1])
  );
}

async function assertNothingListens(ports: number[]): Promise<void> {
  for (const port of ports) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      throw new Error(`A server still listens on port ${port}`);
    } catch (error) {
      if (!(error instanceof Deno.errors.ConnectionRefused)) throw error;
    }
  }
}

Deno.test("race runs both clients against three servers, compares them, and stops the servers", async () => {
  const { code, stdout, stderr } = await runTask("part2:race", [
    "--delay",
    "0.01",
    "--num-bytes",
    "50",
  ], {
    timeoutSeconds: 60,
  });
  assertEquals(code, 0, stderr);
  const ports = serverPorts(stdout);
  assertEquals(ports.length, 3);
  assertStringIncludes(stdout, "== The blocking client ==");
  assertStringIncludes(stdout, "== The asynchronous client ==");
  assertEquals(stdout.match(/^Got 3 poems in \d+:\d\d:\d\d\.\d{6}$/gm)?.length, 2);
  assertMatch(
    stdout,
    /^Blocking client: +\d:\d\d:\d\d\.\d{6} +sum of the three send times 0:00:00\.880000 /m,
  );
  assertMatch(
    stdout,
    /^Asynchronous client: +\d:\d\d:\d\d\.\d{6} +physical limit, the slowest poem 0:00:00\.610000 /m,
  );
  assertMatch(
    stdout,
    /^The blocking client took \d+\.\d\d times as long as the asynchronous one\.$/m,
  );
  // The chapter's run used the tutorial's settings: only numbers and timing differ.
  assertShows(shownOutput(chapter, "deno task part2:race"), stdout, {
    anyNumbers: true,
    timing: TIMING,
  });
  await assertNothingListens(ports);
});

/** The text charts after the race's "Who received bytes when" line: title and rows of each. */
function printedCharts(stdout: string): { title: string; rows: string[] }[] {
  const [, charts = ""] = stdout.split(/^== Who received bytes when .*==$/m);
  return charts.trim().split("\n\n").map((chart) => {
    const lines = chart.split("\n");
    const rows = lines.flatMap((line) => /^Task \d+ \|(.*)\|$/.exec(line)?.[1] ?? []);
    return { title: lines[0], rows };
  });
}

/** The most rows that show a task receiving in one column of a chart. */
function mostAtOnce(rows: string[]): number {
  const cells = rows.map((row) => [...row]);
  let most = 0;
  for (let column = 0; column < cells[0].length; column++) {
    most = Math.max(most, cells.filter((row) => row[column] !== " ").length);
  }
  return most;
}

Deno.test("race --timeline charts a staircase for the blocking client, overlapping rows for the other", async () => {
  const { code, stdout, stderr } = await runTask("part2:race", ["--delay", "0.01", "--timeline"], {
    timeoutSeconds: 60,
  });
  assertEquals(code, 0, stderr);
  assert(stdout.indexOf("== Results ==") < stdout.indexOf("== Who received bytes when"));
  const [blocking, asynchronous, ...more] = printedCharts(stdout);
  assertEquals(more, []);
  assertMatch(blocking.title, /^Blocking client: /);
  assertMatch(asynchronous.title, /^Asynchronous client: /);
  assertEquals([blocking.rows.length, asynchronous.rows.length], [3, 3]);
  assertEquals(mostAtOnce(blocking.rows), 1, blocking.rows.join("\n"));
  assertEquals(mostAtOnce(asynchronous.rows), 3, asynchronous.rows.join("\n"));
  assertShows(shownOutput(chapter, "deno task part2:figures"), stdout, {
    anyNumbers: true,
    timing: TIMING,
  });
  await assertNothingListens(serverPorts(stdout));
});

Deno.test("race --svg asks for write permission before starting anything", async () => {
  const { code, stdout, stderr } = await runTask("part2:race", ["--svg", "part02/race.svg"]);
  assertEquals([code, stdout], [1, ""]);
  assertEquals(
    stderr,
    "error: Cannot write part02/race.svg: no write permission (--allow-write=part02/race.svg)\n",
  );
});

Deno.test("part2:figures is the race, allowed to write only the chapter's figure", async () => {
  const race = await taskArgs("part2:race");
  const figures = await taskArgs("part2:figures");
  assertEquals(figures, [
    ...race.slice(0, -1),
    "--allow-write=part02/race_timeline.svg",
    "part02/race.ts",
    "--timeline",
    "--svg",
    "part02/race_timeline.svg",
  ]);
});

for (const [signal, status] of [["SIGINT", 130], ["SIGTERM", 143]] as const) {
  Deno.test(`race on ${signal} stops the clients and the servers, says so once, exits ${status}`, async () => {
    const { code, stdout } = await runTask("part2:race", ["--delay", "0.05"], {
      timeoutSeconds: 60,
      interruptAfter: "== The blocking client ==",
      signal,
    });
    assertEquals(code, status);
    const said = stdout.match(/^Interrupted.*$/gm) ?? [];
    assertEquals(said, [`Interrupted (${signal}): stopping the clients and the servers`]);
    // Nothing after it: no header of a client that was never started.
    assert(!stdout.includes("== The asynchronous client =="), stdout);
    await assertNothingListens(serverPorts(stdout));
  });
}

Deno.test("race reports bad input in one line, with the usage, and exits with 2", async () => {
  const bad = [["--delay=-1"], ["--num-bytes", "0"], ["10000"], ["--svg"], ["--svg="], [
    "--timeline=yes",
  ]];
  for (const args of bad) {
    const { code, stderr } = await runTask("part2:race", args);
    assertEquals(code, 2, args.join(" "));
    assertMatch(stderr.split("\n")[0], /^error: /);
    assertStringIncludes(stderr, "usage: deno task part2:race");
  }
});

Deno.test("the race starts each script with the same permissions as its deno.json task", async () => {
  for (const [task, args] of Object.entries(scriptArgs)) {
    assertEquals(await taskArgs(task), [...args], task);
  }
});

Deno.test("the chapter shows the race's timeline figure, committed beside it", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", import.meta.url));
  assertStringIncludes(readme, "](race_timeline.svg)");
  const svg = await Deno.readTextFile(new URL("race_timeline.svg", import.meta.url));
  assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'));
  assertStringIncludes(svg, ">Blocking client: one download after another,");
  assertStringIncludes(svg, ">Asynchronous client: all at once,");
});

Deno.test("race takes the number and settings of its servers as POEM[:BYTES[:DELAY]]", async () => {
  const { code, stdout, stderr } = await runTask("part2:race", [
    "--delay",
    "0.01",
    "fascination:100",
    "science:200:0.02",
  ], { timeoutSeconds: 60 });
  assertEquals(code, 0, stderr);
  const serving = stdout.split("\n").filter((line) => line.startsWith("Serving "));
  assertEquals(serving.map((line) => line.replace(/ on port \d+:/, " on port P:")), [
    "Serving poetry/fascination.txt on port P: 100 bytes every 0.01 s, 0.07 s in all",
    "Serving poetry/science.txt on port P: 200 bytes every 0.02 s, 0.08 s in all",
  ]);
  assertEquals(stdout.match(/^Got 2 poems in /gm)?.length, 2);
  assertMatch(stdout, /^Blocking client: +\S+ +sum of the two send times 0:00:00\.150000 /m);
  assertMatch(stdout, /physical limit, the slowest poem 0:00:00\.080000 /);
  await assertNothingListens(serverPorts(stdout));
});

Deno.test("race rejects a server that is not POEM[:BYTES[:DELAY]] with the usage and status 2", async () => {
  const { code, stdout, stderr } = await runTask("part2:race", ["science:ten"]);
  assertEquals([code, stdout], [2, ""]);
  assertMatch(
    stderr,
    /^error: the bytes of "science:ten" must be a whole number, 1 or more, got "ten"\n\nusage: /,
  );
});
