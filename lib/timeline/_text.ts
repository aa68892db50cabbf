/**
 * The terminal rendering of a {@linkcode Timeline}: a row of characters per
 * task, one character per slice of time.
 *
 * @module
 */

import { type ChartData, formatSeconds, tickLabel, ticks, tickStep } from "./_scale.ts";
import type { Span, SpanKind } from "./span.ts";

/** The character drawn for each kind of span; a blank means the task is not running. */
const GLYPHS: Readonly<Record<SpanKind, string>> = { work: "█", wait: "░" };

const MAX_LABEL = 24;

/** Draws `data` as lines of text, `width` characters of chart per row. */
export function renderText(data: ChartData, width: number, title?: string): string {
  const labels = data.rows.map(({ task }) =>
    task.length > MAX_LABEL ? `${task.slice(0, MAX_LABEL - 1)}…` : task
  );
  const labelWidth = Math.max(0, ...labels.map((label) => label.length));
  const indent = " ".repeat(labelWidth + 1);
  const lines: string[] = title === undefined ? [] : [title];
  if (data.rows.length === 0) return [...lines, "(nothing recorded)"].join("\n");
  data.rows.forEach((row, i) => {
    lines.push(`${labels[i].padEnd(labelWidth)} |${cells(row.spans, data, width)}|`);
  });

  // Ticks sit under the column where their time falls; labels need about 8 columns each.
  const step = tickStep(data.duration, Math.max(1, Math.floor(width / 8)));
  const axis = Array.from({ length: width + 2 }, () => "-");
  let scale = "";
  for (const tick of ticks(data.duration, step)) {
    // The borders stand for the two ends of the axis, so ticks stretch from one to the other.
    const column = Math.round((tick / data.duration) * (width + 1));
    axis[column] = "+";
    const label = tickLabel(tick, step);
    if (scale.length === 0 || column > scale.length) scale = scale.padEnd(column) + label;
  }
  lines.push(indent + axis.join(""), `${indent}${scale} s`);

  const legend = data.kinds.map((kind) => `${GLYPHS[kind]} ${data.legend[kind]}`);
  lines.push(`${indent}${[...legend, `total ${formatSeconds(data.total)}`].join("   ")}`);
  return lines.join("\n");
}

/**
 * One task's row. A column shows work if the task worked for more than
 * half of the column's slice of time, waiting if it waited for more than
 * half, and a blank otherwise: so two tasks that never work at the same
 * time never show work in the same column, even where one stops and the
 * other starts. A span too short to win any column still shows, in the
 * column of its midpoint, so brief events do not vanish; there a short
 * piece of work wins over waiting.
 */
function cells(spans: readonly Span[], data: ChartData, width: number): string {
  const slice = data.duration / width;
  const cover = { work: new Float64Array(width), wait: new Float64Array(width) };
  for (const span of spans) {
    const start = (span.start - data.from) / slice;
    const end = (span.end - data.from) / slice;
    for (let column = Math.max(0, Math.floor(start)); column < Math.min(width, end); column++) {
      cover[span.kind][column] += Math.min(end, column + 1) - Math.max(start, column);
    }
  }
  const row: string[] = [];
  for (let column = 0; column < width; column++) {
    row.push(
      cover.work[column] > 0.5 ? GLYPHS.work : cover.wait[column] > 0.5 ? GLYPHS.wait : " ",
    );
  }
  for (const span of spans) {
    const column = Math.floor(((span.start + span.end) / 2 - data.from) / slice);
    if (column < 0 || column >= width) continue;
    if (row[column] === " " || (span.kind === "work" && row[column] === GLYPHS.wait)) {
      if (!covers(row, span, data, slice)) row[column] = GLYPHS[span.kind];
    }
  }
  return row.join("");
}

/** True if some column inside the span already shows the span's kind. */
function covers(row: string[], span: Span, data: ChartData, slice: number): boolean {
  const first = Math.max(0, Math.floor((span.start - data.from) / slice));
  const last = Math.min(row.length - 1, Math.floor((span.end - data.from) / slice));
  for (let column = first; column <= last; column++) {
    if (row[column] === GLYPHS[span.kind]) return true;
  }
  return false;
}
