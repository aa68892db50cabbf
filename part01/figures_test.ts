import { assert, assertEquals, assertStringIncludes } from "../lib/testing/asserts.ts";
import { checkCommandLine } from "./_chart_reading.ts";
import { figuresReport, renderFigures } from "./figures.ts";
import { assertShows, shownOutputs } from "../lib/testing/chapter.ts";

const FILES = [
  "figure1_synchronous.svg",
  "figure2_threaded.svg",
  "figure3_asynchronous.svg",
  "figure4_blocking.svg",
];

Deno.test("renderFigures() draws the four figures of the chapter from real runs", async () => {
  const figures = await renderFigures({
    cpu: { tasks: 2, steps: 2, step: 0.005, wait: 0 },
    io: { tasks: 2, steps: 2, step: 0.005, wait: 0.02 },
  });
  assertEquals(figures.map((figure) => figure.file), FILES);
  for (const { svg } of figures) {
    assert(svg.startsWith("<svg ") && svg.endsWith("</svg>\n"));
    assertStringIncludes(svg, ">Task 2</text>");
  }
  assertStringIncludes(figures[1].svg, ">Threaded: 2 tasks of 2 steps of 0.005 s");
  assertStringIncludes(figures[3].svg, ">Synchronous: one task after another;");
  assertStringIncludes(figures[3].svg, ">Asynchronous: one thread;");
  assertStringIncludes(figures[3].text, "Asynchronous total: ");
});

Deno.test("the chapter shows each committed figure", async () => {
  const readme = await Deno.readTextFile(new URL("README.md", import.meta.url));
  for (const file of FILES) {
    assertStringIncludes(readme, `](${file})`);
    const svg = await Deno.readTextFile(new URL(file, import.meta.url));
    assert(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"'), file);
  }
});

Deno.test("part1:figures takes no options but --help", async () => {
  await checkCommandLine("part1:figures", [[["--out", "x"], "Unknown option '--out'"]]);
});

/** A chart's rows, axis and scale depend on timing; the lines around them do not. */
export const CHART_LINES = [/^Task \d+ +\|/, /^ +[+-]+$/, /^ +0 .* s$/];

Deno.test("the chapter's excerpts of part1:figures show what it prints", async () => {
  // Small plans keep the test short; only the numbers differ from the chapter's run.
  const figures = await renderFigures({
    cpu: { tasks: 3, steps: 2, step: 0.005, wait: 0 },
    io: { tasks: 3, steps: 2, step: 0.005, wait: 0.02 },
  });
  const chapter = await Deno.readTextFile(new URL("README.md", import.meta.url));
  const blocks = shownOutputs(chapter).filter((block) =>
    block.command === "deno task part1:figures"
  );
  assertEquals(blocks.length, 4);
  for (const block of blocks) {
    assertShows(block, figuresReport(figures), { anyNumbers: true, timing: CHART_LINES });
  }
});
