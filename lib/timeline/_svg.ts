/**
 * The SVG rendering of a {@linkcode Timeline}: self-contained (no scripts,
 * no external fonts or styles) so that it reads the same in a browser and
 * as an image on a code-hosting page.
 *
 * @module
 */

import { type ChartData, formatSeconds, tickLabel, ticks, tickStep } from "./_scale.ts";
import type { SpanKind } from "./span.ts";

const FONT = "-apple-system, 'Segoe UI', Helvetica, Arial, sans-serif";
const INK = "#24292f";
const GRID = "#d0d7de";
const STRIPE = "#f6f8fa";
// Waiting is hatched as well as grey, so it still reads in print or without colour.
const FILL: Readonly<Record<SpanKind, string>> = { work: "#3a6ea5", wait: "url(#waiting)" };
const PAD = 16;
const ROW = 24;
const BAR = 14;

/** One chart's SVG elements, drawn from y = 0 down to `height`. */
export interface SvgChart {
  /** The chart's width in pixels. */
  width: number;
  /** The chart's height in pixels. */
  height: number;
  /** The elements, one per line. */
  body: string[];
}

/** A self-contained SVG document with the charts one below the other. */
export function svgDocument(charts: readonly SvgChart[]): string {
  const width = Math.max(...charts.map((chart) => chart.width));
  const height = charts.reduce((sum, chart) => sum + chart.height, 0);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
    `viewBox="0 0 ${width} ${height}" font-family="${FONT}" font-size="12" fill="${INK}">`,
    `<defs><pattern id="waiting" width="6" height="6" patternUnits="userSpaceOnUse" ` +
    `patternTransform="rotate(45)"><rect width="6" height="6" fill="#e4e6e9"/>` +
    `<rect width="2" height="6" fill="#8c959f"/></pattern></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  let y = 0;
  for (const chart of charts) {
    out.push(y === 0 ? "<g>" : `<g transform="translate(0 ${y})">`, ...chart.body, "</g>");
    y += chart.height;
  }
  return [...out, "</svg>", ""].join("\n");
}

/** The length of the longest task name in `charts`, so that stacked charts align their plots. */
export function longestTask(charts: readonly ChartData[]): number {
  return Math.max(0, ...charts.flatMap((data) => data.rows.map(({ task }) => task.length)));
}

/**
 * Draws `data` as a chart `width` pixels wide, for {@linkcode svgDocument},
 * leaving room for task names of `longest` characters.
 */
export function svgChart(
  data: ChartData,
  width: number,
  title?: string,
  longest = longestTask([data]),
): SvgChart {
  const layout = chartLayout(data, width, title, longest);
  const body = [
    ...titleLines(layout),
    ...rowLabels(data, layout),
    ...gridLines(data, layout),
    ...spanBars(data, layout),
    ...axisAndLegend(data, layout),
  ];
  return { width, height: layout.legendY + 12 + PAD, body };
}

/** Where everything goes in one chart. */
interface Layout {
  plotX: number;
  plotWidth: number;
  titleLines: string[];
  top: number;
  axisY: number;
  legendY: number;
  /** The x coordinate of a time on the clock. */
  x: (time: number) => number;
}

function chartLayout(
  data: ChartData,
  width: number,
  title: string | undefined,
  longest: number,
): Layout {
  const plotX = PAD + Math.min(220, Math.max(48, longest * 7 + 12));
  const plotWidth = width - plotX - PAD - 12;
  if (plotWidth < 60) {
    throw new RangeError(`Cannot draw timeline: width ${width} leaves no room for the chart`);
  }
  const titleLines = title === undefined ? [] : wrap(title, Math.floor((width - 2 * PAD) / 9));
  const top = PAD + titleLines.length * 19 + (titleLines.length > 0 ? 7 : 0);
  const axisY = top + data.rows.length * ROW;
  return {
    plotX,
    plotWidth,
    titleLines,
    top,
    axisY,
    legendY: axisY + 52,
    x: (time) => plotX + ((time - data.from) / data.duration) * plotWidth,
  };
}

function titleLines({ titleLines }: Layout): string[] {
  return titleLines.map((line, i) =>
    `<text x="${PAD}" y="${PAD + 13 + i * 19}" font-size="15" font-weight="600">${
      escape(line)
    }</text>`
  );
}

/** Each row's label, on a stripe every other row. */
function rowLabels(data: ChartData, { plotX, plotWidth, top }: Layout): string[] {
  const out: string[] = [];
  data.rows.forEach((row, i) => {
    const y = top + i * ROW;
    if (i % 2 === 0) {
      out.push(
        `<rect x="${PAD}" y="${y}" width="${plotX + plotWidth - PAD}" height="${ROW}" ` +
          `fill="${STRIPE}"/>`,
      );
    }
    out.push(
      `<text x="${plotX - 8}" y="${num(y + ROW / 2 + 4)}" text-anchor="end">${
        escape(row.task)
      }</text>`,
    );
  });
  return out;
}

/** A vertical line and a label at each tick of the time axis. */
function gridLines(data: ChartData, { plotWidth, top, axisY, x }: Layout): string[] {
  const out: string[] = [];
  const step = tickStep(data.duration, Math.max(1, Math.floor(plotWidth / 70)));
  for (const tick of ticks(data.duration, step)) {
    const tx = num(x(data.from + tick));
    out.push(
      `<line x1="${tx}" y1="${top}" x2="${tx}" y2="${axisY + 4}" stroke="${GRID}"/>`,
      `<text x="${tx}" y="${axisY + 17}" text-anchor="middle">${tickLabel(tick, step)}</text>`,
    );
  }
  return out;
}

/** A bar per span, with a tooltip that says what and when. */
function spanBars(data: ChartData, { plotX, plotWidth, top, x }: Layout): string[] {
  const out: string[] = [];
  // Waits first, so that work drawn over a wait stays visible.
  for (const kind of ["wait", "work"] as const) {
    data.rows.forEach((row, i) => {
      const y = num(top + i * ROW + (ROW - BAR) / 2);
      for (const span of row.spans) {
        if (span.kind !== kind) continue;
        const left = x(span.start);
        const right = Math.min(x(span.end), plotX + plotWidth);
        if (right < plotX || left > plotX + plotWidth) continue;
        out.push(
          `<rect x="${num(left)}" y="${y}" width="${num(Math.max(2, right - left))}" ` +
            `height="${BAR}" fill="${FILL[kind]}"><title>${escape(row.task)}: ${
              escape(data.legend[kind])
            } ${(span.start - data.from).toFixed(3)}–${
              formatSeconds(span.end - data.from)
            }</title></rect>`,
        );
      }
    });
  }
  return out;
}

/** The time axis, its caption, the legend and the total. */
function axisAndLegend(data: ChartData, { plotX, plotWidth, axisY, legendY }: Layout): string[] {
  const out = [
    `<line x1="${plotX}" y1="${axisY}" x2="${plotX + plotWidth}" y2="${axisY}" stroke="${INK}"/>`,
    `<text x="${num(plotX + plotWidth / 2)}" y="${axisY + 34}" text-anchor="middle">` +
    `time (seconds)</text>`,
  ];
  let lx = plotX;
  for (const kind of data.kinds) {
    out.push(
      `<rect x="${lx}" y="${legendY - 10}" width="12" height="12" fill="${FILL[kind]}"/>`,
      `<text x="${lx + 17}" y="${legendY}">${escape(data.legend[kind])}</text>`,
    );
    // About 7 pixels a character, and never closer than the two default entries.
    lx += Math.max(80, 31 + data.legend[kind].length * 7);
  }
  out.push(
    `<text x="${plotX + plotWidth}" y="${legendY}" text-anchor="end" font-weight="600">` +
      `total ${formatSeconds(data.total)}</text>`,
  );
  return out;
}

/** A coordinate with at most two decimals, so output is stable and small. */
function num(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Splits `text` into lines of at most about `limit` characters, at spaces. */
function wrap(text: string, limit: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line !== "" && line.length + 1 + word.length > limit) {
      lines.push(line);
      line = word;
    } else {
      line = line === "" ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}

function escape(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;");
}
