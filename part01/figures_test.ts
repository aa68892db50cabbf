import { assert, assertEquals, assertStringIncludes } from "../lib/testing/asserts.ts";
import { checkCommandLine } from "./_chart_reading.ts";
import { renderFigures } from "./figures.ts";

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
  assertEquals(figures[3].totals.length, 2);
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
