import { assertEquals } from "../lib/testing/asserts.ts";
import { runDeno, runTask } from "../lib/testing/run_task.ts";
import { assertShows, shownOutput } from "../lib/testing/chapter.ts";

const chapter = await Deno.readTextFile(new URL("section4_threads.md", import.meta.url));

const EXPECTED = [
  'Main thread, before: mood is "cheerful", working directory is ., POETRY_MOOD is not set',
  'A Worker set mood to "gloomy" in its copy of the module',
  'A Worker called Deno.chdir("part05")',
  'A Worker called Deno.env.set("POETRY_MOOD", "gloomy")',
  'Main thread, after: mood is "cheerful", working directory is ./part05, POETRY_MOOD is "gloomy"',
  'A Worker revoked the env permission: in the main thread it is now "prompt"',
];

Deno.test("part5:shared-state: the Worker's chdir and env change the main thread's, its module does not", async () => {
  const { code, stdout } = await runTask("part5:shared-state");
  assertEquals([code, stdout.trimEnd().split("\n")], [0, EXPECTED]);
});

Deno.test("part5:shared-state: the chapter shows a real run", () => {
  assertShows(shownOutput(chapter, "deno task part5:shared-state"), EXPECTED.join("\n"));
});

Deno.test("a Worker's umask and SIGINT listener act on the whole process; its Deno.exit does not", async () => {
  const probe = [
    "run",
    "--allow-read=part05",
    "--allow-sys",
    "part05/_testdata/process_wide_probe.ts",
  ];
  const { code, stdout } = await runDeno(probe, { interruptAfter: "listening" });
  assertEquals([code, stdout.trimEnd().split("\n")], [0, [
    "umask in the main thread: changed",
    "listening",
    "SIGINT went to the Worker", // and Ctrl-C did not end the process
    "exit: silence", // the Worker ended, without a word
    "main thread still running",
  ]]);
});
