/**
 * Test helpers for chapter 1: read back what the scripts print (text
 * charts, totals, the work line) and check their command-line errors.
 *
 * @module
 */

import { assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import { runTask } from "../lib/testing/run_task.ts";

/** One text chart as printed: each task's row of cells, and its total. */
export interface PrintedChart {
  /** Row cells by task name, in chart order. */
  rows: Map<string, string>;
  /** The total the chart's legend line shows, in seconds. */
  total: number;
}

/** Finds every text chart in a script's output. */
export function readCharts(output: string): PrintedChart[] {
  const charts: PrintedChart[] = [];
  let rows = new Map<string, string>();
  for (const line of output.split("\n")) {
    const row = line.match(/^(Task \d+) +\|(.*)\|$/);
    if (row) rows.set(row[1], row[2]);
    const total = line.match(/ total (\d+\.\d+) s$/);
    if (total) {
      charts.push({ rows, total: Number(total[1]) });
      rows = new Map();
    }
  }
  return charts;
}

/** How many columns show more than one task doing `glyph` at the same time. */
export function sharedColumns(chart: PrintedChart, glyphs: string): number {
  const rows = [...chart.rows.values()].map((row) => [...row]);
  let shared = 0;
  for (let column = 0; column < (rows[0]?.length ?? 0); column++) {
    if (rows.filter((row) => glyphs.includes(row[column])).length > 1) shared++;
  }
  return shared;
}

/** How many separate runs of `glyph` a row has ("██  ██ █" has 3). */
export function pieces(row: string, glyph: string): number {
  return [...row].filter((cell, i, cells) => cell === glyph && cells[i - 1] !== glyph).length;
}

/** The columns of the first and last `glyph` in a row (-1, -1 if there is none). */
export function extent(row: string, glyph: string): [number, number] {
  const cells = [...row];
  return [cells.indexOf(glyph), cells.lastIndexOf(glyph)];
}

/** The seconds of the "Work: X s in all" lines, in order. */
export function workSeconds(output: string): number[] {
  return [...output.matchAll(/^Work: (\d+\.\d+) s in all/gm)].map((match) => Number(match[1]));
}

/**
 * Checks that `task` answers bad input the way every script must: one line
 * on stderr naming the problem, then the usage, exit status 2, nothing on
 * stdout; and that `--help` prints the usage with status 0.
 */
export async function checkCommandLine(task: string, bad: [string[], string][]): Promise<void> {
  for (const [args, problem] of bad) {
    const { code, stdout, stderr } = await runTask(task, args);
    assertEquals(code, 2, `${args.join(" ")}: ${stderr}`);
    assertEquals(stdout, "");
    const [first, blank, usage] = stderr.split("\n");
    assertEquals([first.startsWith("error: "), blank], [true, ""], stderr);
    assertStringIncludes(first, problem);
    assertMatch(usage, new RegExp(`^usage: deno task ${task} \\[options\\]$`));
  }
  const help = await runTask(task, ["--help"]);
  assertEquals(help.code, 0);
  assertMatch(help.stdout, new RegExp(`^usage: deno task ${task} \\[options\\]\\n`));
}
