// The page of `deno task part3:watch`, part 3 of 3: where the records come
// from (the server's event stream, or a saved file), the clock the page
// shows (live, paused, or replaying at a chosen speed), the frames, and the
// controls. model.js holds the state, draw.js draws it.
import { apply, newModel, parseLines, timeOf } from "./model.js";
import { $, render } from "./draw.js";

/** Milliseconds between two frames, at least. */
const FRAME_MS = 33;

/** Everything the page knows of the run, in order; the model is these applied up to `applied`. */
let records = [];
let applied = 0;
let model = newModel();
/** live: apply as they come; paused; replay: apply on the replay clock. */
let mode = "live";
let replayClock = { at: 0, wall: 0 };
/** Milliseconds between a turn's end and its appearance here, for live turns. */
const lags = [];
/** The same, until the page's event handler saw it (before the frame that draws it). */
const arrivals = [];
/** Milliseconds each frame took to apply the records and draw. */
const frameCosts = [];
/** The lag shown in the status line, worked out at most twice a second. */
let lagShown = { count: 0, at: 0, p95: 0 };
/** Records from this index on arrived live, not in the backlog a new page is sent first. */
let liveFrom = Infinity;
let source = null;
let renderQueued = false;
let frameToken = 0;
let lastFrame = 0;

// ---- the clock the page shows: live, paused, or replaying ----

function runNow() {
  if (mode === "live" && model.started > 0 && model.exit === null) {
    return (Date.now() - model.started) / 1000;
  }
  if (mode === "replay") {
    return replayClock.at + (performance.now() - replayClock.wall) / 1000 * speed();
  }
  return model.now;
}

function speed() {
  return Number($("speed").value);
}

/** Applies what the mode says is due, then draws; runs once per frame while anything moves. */
function frame() {
  renderQueued = false;
  lastFrame = performance.now();
  if (mode === "live") {
    const arrived = performance.timeOrigin + performance.now();
    while (applied < records.length) {
      const record = records[applied++];
      apply(model, record);
      if (applied > liveFrom && typeof record.end === "number" && model.started > 0) {
        lags.push(arrived - (model.started + record.end * 1000));
      }
    }
  } else if (mode === "replay") {
    const now = runNow();
    let previous = model.now;
    while (applied < records.length && timeOf(records[applied], previous) <= now) {
      previous = timeOf(records[applied], previous);
      apply(model, records[applied++]);
    }
    if (applied === records.length) {
      setMode(source !== null && model.exit === null ? "live" : "paused");
    }
  }
  const now = runNow();
  render(model, now, statusLine(now));
  frameCosts.push(performance.now() - lastFrame);
  if (frameCosts.length > 10000) frameCosts.splice(0, 5000);
  if (mode === "replay" || (mode === "live" && model.exit === null)) queueFrame();
}

/**
 * Asks for a frame, at most every FRAME_MS: drawing the whole page 60
 * times a second would take the CPU from the program being watched.
 */
function queueFrame() {
  if (renderQueued) return;
  renderQueued = true;
  const token = ++frameToken;
  const run = () => {
    if (renderQueued && token === frameToken) frame();
  };
  const wait = Math.max(0, lastFrame + FRAME_MS - performance.now());
  setTimeout(() => requestAnimationFrame(run), wait);
  // A hidden tab gets no animation frames, yet its title should follow the live turn.
  setTimeout(run, wait + 100);
}

function setMode(next) {
  mode = next;
  $("pause").textContent = mode === "paused" ? "Play" : "Pause";
  queueFrame();
}

// ---- controls ----

/** Rebuilds the model from the first record up to `count` records. */
function rebuild(count) {
  model = newModel();
  for (applied = 0; applied < count;) apply(model, records[applied++]);
  delete $("cycle").dataset.turn;
}

function step() {
  setMode("paused");
  while (applied < records.length) {
    const record = records[applied++];
    apply(model, record);
    if (Array.isArray(record.calls)) break;
  }
  queueFrame();
}

/** Back to the start of the run: playing, or, if paused, ready to step through it. */
function replay() {
  rebuild(0);
  replayClock = { at: 0, wall: performance.now() };
  setMode(mode === "paused" ? "paused" : "replay");
}

function togglePause() {
  if (mode !== "paused") return setMode("paused");
  if (applied === records.length && source !== null && model.exit === null) return setMode("live");
  replayClock = { at: model.now, wall: performance.now() };
  setMode("replay");
}

$("pause").addEventListener("click", togglePause);
$("step").addEventListener("click", step);
$("replay").addEventListener("click", replay);
$("speed").addEventListener("change", () => {
  replayClock = { at: runNow(), wall: performance.now() };
});
document.addEventListener("keydown", (event) => {
  if (event.target instanceof HTMLInputElement || event.target instanceof HTMLSelectElement) return;
  if (event.key === " ") togglePause();
  else if (event.key === "ArrowRight") step();
  else return;
  event.preventDefault();
});
$("open").addEventListener("change", async () => {
  const file = $("open").files[0];
  if (!file) return;
  source?.close();
  source = null;
  records = parseLines(await file.text());
  lags.length = 0;
  if (!records.some((record) => typeof record.task === "string")) {
    records.unshift({ task: file.name });
  }
  replay();
});

// ---- the live stream ----

function connect() {
  source = new EventSource("events");
  let fresh = true;
  const ingest = (data, live) => {
    if (fresh) {
      // A stream starts with the whole run: after a reconnect, start over.
      fresh = false;
      records = [];
      rebuild(0);
    }
    if (data !== "") {
      const batch = parseLines(data);
      if (live && model.started > 0) {
        const arrived = performance.timeOrigin + performance.now();
        for (const r of batch) {
          if (typeof r.end === "number") arrivals.push(arrived - (model.started + r.end * 1000));
        }
      }
      records.push(...batch);
    }
    if (!live) liveFrom = Infinity;
    else if (liveFrom === Infinity) liveFrom = records.length;
    if (mode === "live") queueFrame();
  };
  source.addEventListener("backlog", (event) => ingest(event.data, false));
  source.addEventListener("live", (event) => ingest(event.data, true));
  source.onmessage = (event) => ingest(event.data, true);
  source.onopen = () => {
    fresh = true;
  };
  source.onerror = () => {
    if (model.exit !== null || records.some((r) => "exit" in r)) {
      source?.close();
      source = null;
      $("save").removeAttribute("href");
    }
    queueFrame();
  };
}

function statusLine(now) {
  const where = `${mode}${mode === "replay" ? ` at ${speed()}×` : ""}`;
  const exit = model.exit === null
    ? ""
    : `; ended ${model.exit.signal ? `on ${model.exit.signal}` : `with status ${model.exit.exit}`}`;
  if (lags.length !== lagShown.count && performance.now() - lagShown.at > 500) {
    lagShown = { count: lags.length, at: performance.now(), p95: percentile(lags, 0.95) };
  }
  const p95 = lags.length > 0 ? `; page lag p95 ${lagShown.p95.toFixed(0)} ms` : "";
  const shown = records.length > 0 ? `record ${applied} of ${records.length}` : "no records yet";
  return `${where}, ${shown}, at ${Math.max(0, now).toFixed(3)} s${exit}${p95}`;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** For tests and measurements: what the page shows, and how far behind the run, in ms. */
globalThis.watchStats = () => {
  const half = Math.floor(lags.length / 2);
  const stat = (values) =>
    values.length === 0 ? null : {
      p50: percentile(values, 0.5),
      p95: percentile(values, 0.95),
      max: Math.max(...values),
    };
  return {
    mode,
    turn: model.turn,
    output: model.output.slice(-3).map((line) => line.output),
    turns: lags.length,
    arrivals: stat(arrivals),
    frames: stat(frameCosts),
    records: records.length,
    applied,
    all: stat(lags),
    firstHalf: stat(lags.slice(0, half)),
    secondHalf: stat(lags.slice(half)),
  };
};

addEventListener("resize", () => queueFrame());
connect();
queueFrame();
