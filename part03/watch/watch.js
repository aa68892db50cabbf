// The page of `deno task part3:watch`: draws a reactor's loop from its JSON
// trace (lib/reactor/trace_events.ts), live from the server's event stream
// or replayed from the records it keeps. Nothing here is simulated: every
// picture is a state computed from the records the real run wrote.
"use strict";

/** Rows of descriptors, and of delayed calls, shown one by one; past this, summed up. */
const MAX_ROWS = 200;
const MAX_TIMER_ROWS = 12;
/** Seconds of the run the strip of turns shows. */
const STRIP_SECONDS = 6;
/** Turns kept for the strip. */
const STRIP_TURNS = 4000;
const OUTPUT_LINES = 300;
/** Milliseconds between two frames, at least. */
const FRAME_MS = 33;

const $ = (id) => document.getElementById(id);

/** Everything the page knows of the run, in order; the model is these applied up to `applied`. */
let records = [];
let applied = 0;
let model = newModel();
/** live: apply as they come; paused; replay: apply on the replay clock. */
let mode = "live";
let replayClock = { at: 0, wall: 0 };
/** Milliseconds between a turn's end and its appearance here, for live turns. */
const lags = [];
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
let lastHeavy = 0;
let stripWidth = 1200;
const measureStrip = () => {
  stripWidth = $("strip").clientWidth || 1200;
  queueFrame();
};
addEventListener("resize", measureStrip);
addEventListener("load", measureStrip);

function newModel() {
  return {
    task: "",
    reactor: "",
    started: 0,
    turn: 0,
    last: null,
    running: null,
    now: 0,
    timers: new Map(),
    fired: [],
    fds: new Map(),
    closed: { count: 0, read: 0, written: 0 },
    workers: null,
    turns: [],
    output: [],
    outputChanged: true,
    exit: null,
    shutdown: null,
  };
}

/** The record's moment on the run's clock, seconds since the loop started. */
function timeOf(record, previous) {
  if (typeof record.end === "number") return record.end;
  if (typeof record.woke === "string" && typeof record.at === "number") return record.at;
  if (typeof record.shutdown === "number") return record.shutdown;
  return previous;
}

function apply(m, record) {
  if (typeof record.task === "string") {
    m.task = [record.task, ...(record.args ?? [])].join(" ");
  } else if (typeof record.reactor === "string") {
    m.reactor = record.reactor;
    m.started = record.started;
  } else if (typeof record.turn === "number" && !Array.isArray(record.calls)) {
    // The wait is over: the turn's calls run now, however long they take.
    m.running = record;
  } else if (typeof record.turn === "number") {
    m.running = null;
    for (const event of record.events ?? []) applyEvent(m, event, record.end);
    m.turn = record.turn;
    m.last = record;
    m.now = record.end;
    m.turns.push(record);
    if (m.turns.length > STRIP_TURNS * 1.5) m.turns = m.turns.slice(-STRIP_TURNS);
  } else if (typeof record.shutdown === "number") {
    for (const event of record.events ?? []) applyEvent(m, event, record.shutdown);
    m.shutdown = record.shutdown;
  } else if (typeof record.output === "string") {
    m.output.push(record);
    if (m.output.length > OUTPUT_LINES * 2) m.output = m.output.slice(-OUTPUT_LINES);
    m.outputChanged = true;
  } else if ("exit" in record) {
    m.exit = record;
  }
}

function applyEvent(m, event, at) {
  const [kind, a, b, c, d] = event;
  switch (kind) {
    case "later":
      m.timers.set(a, { id: a, label: b, at: c, due: d });
      break;
    case "moved": {
      const timer = m.timers.get(a);
      if (timer) timer.due = b;
      break;
    }
    case "ran":
    case "cancelled": {
      const timer = m.timers.get(a);
      m.timers.delete(a);
      m.fired.push({ id: a, kind, label: timer ? timer.label : "?", at });
      if (m.fired.length > 40) m.fired = m.fired.slice(-20);
      break;
    }
    case "reader+":
    case "writer+": {
      const role = kind === "reader+" ? "reader" : "writer";
      let fd = m.fds.get(a);
      if (!fd) {
        fd = { fd: a, name: b, reader: false, writer: false, read: 0, written: 0 };
        m.fds.set(a, fd);
      }
      fd.name = b;
      fd[role] = true;
      break;
    }
    case "reader-":
    case "writer-": {
      const fd = m.fds.get(a);
      if (!fd) break;
      fd[kind === "reader-" ? "reader" : "writer"] = false;
      if (!fd.reader && !fd.writer) {
        m.fds.delete(a);
        m.closed.count++;
        m.closed.read += fd.read;
        m.closed.written += fd.written;
      }
      break;
    }
    case "bytes": {
      const fd = m.fds.get(a);
      const into = fd ?? m.closed;
      into.read += b;
      into.written += c;
      break;
    }
    case "workers":
      m.workers = { workers: a, busy: b, queued: c };
      break;
  }
}

/** Reads records from text: one JSON object a line; other lines are skipped. */
function parseLines(text) {
  const out = [];
  for (const line of text.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // Not a record: a script's own output that happens to start with a brace.
    }
  }
  return out;
}

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
  render();
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

// ---- drawing ----

function render() {
  const m = model;
  const now = runNow();
  const title = `reactor turn ${m.running?.turn ?? m.turn}`;
  if (document.title !== title) document.title = title;
  setText($("task"), m.task || "part3:watch");
  setText($("reactor"), m.reactor);
  setText($("status"), statusLine(now));
  renderLoop(m, now);
  // Sorting ten thousand timers or rows every frame would make the page fall behind: 10 a second.
  const heavy = m.timers.size > MAX_ROWS || m.fds.size > MAX_ROWS;
  if (!heavy || performance.now() - lastHeavy > 100) {
    lastHeavy = performance.now();
    renderTimers(m, now);
    renderFds(m);
  }
  renderWorkers(m);
  renderStrip(m, now);
  if (m.outputChanged) renderOutput(m);
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

function renderLoop(m, now) {
  const cycle = $("cycle");
  const last = m.last;
  setText($("turn-number"), `turn ${m.running?.turn ?? m.turn}`);
  let phase;
  const running = m.running;
  if (m.shutdown !== null || m.exit !== null) phase = "stopped";
  else if (running !== null) phase = `running ${(Math.max(0, now - running.at)).toFixed(3)} s`;
  else if (last === null) phase = "not started";
  else phase = `waiting ${(Math.max(0, now - last.end)).toFixed(3)} s`;
  setText($("phase"), phase);
  cycle.setAttribute(
    "class",
    phase.startsWith("waiting")
      ? "waiting woke running"
      : phase.startsWith("running")
      ? "woke running"
      : "",
  );
  if (
    running !== null && phase.startsWith("running") && cycle.dataset.turn !== `${running.turn}…`
  ) {
    // A turn under way: what woke it is known, its calls are not over yet.
    cycle.dataset.turn = `${running.turn}…`;
    $("waited").textContent = formatSeconds(running.at - (last === null ? 0 : last.end));
    $("woke").textContent = running.woke;
    $("calls").innerHTML = "<li>running…</li>";
    return;
  }
  if (running !== null && phase.startsWith("running")) return;
  if (last === null || cycle.dataset.turn === String(last.turn)) return;
  cycle.dataset.turn = String(last.turn);
  $("waited").textContent = formatSeconds(last.waited);
  $("woke").textContent = last.woke;
  const calls = $("calls");
  calls.replaceChildren(
    ...last.calls.map((call) => {
      const li = document.createElement("li");
      const through = call.through.map((t) => ` → ${t.label} ${formatSeconds(t.seconds)}`);
      li.textContent = `${call.label} ${formatSeconds(call.seconds)}${through.join("")}`;
      return li;
    }),
  );
  if (last.calls.length === 0) calls.innerHTML = "<li>nothing</li>";
}

function renderTimers(m, now) {
  const timers = [...m.timers.values()].sort((a, b) => a.due - b.due || a.id - b.id);
  setText($("timer-count"), `(${timers.length} pending)`);
  const rows = timers.slice(0, MAX_TIMER_ROWS).map((t) => {
    const left = Math.max(0, t.due - now);
    const span = Math.max(1e-6, t.due - t.at);
    const share = Math.min(1, left / span);
    return `<div class="timer"><span class="label">#${t.id} ${escape(t.label)}</span>` +
      `<span>#${t.id}</span><div class="bar"><div style="width:${(share * 100).toFixed(1)}%">` +
      `</div></div><span class="left">${left.toFixed(3)} s</span></div>`;
  });
  if (timers.length > MAX_TIMER_ROWS) {
    const rest = timers.slice(MAX_TIMER_ROWS);
    const latest = rest[rest.length - 1].due - now;
    rows.push(`<p>… and ${rest.length} more, due within ${Math.max(0, latest).toFixed(3)} s</p>`);
  }
  if (timers.length === 0) rows.push("<p>none</p>");
  setHtml($("timers"), rows.join(""));
  setHtml(
    $("fired"),
    m.fired.slice(-6).reverse().map((f) =>
      `<li data-id="${f.id}" data-kind="${f.kind}">#${f.id} ${escape(f.label)} ${f.kind} at ` +
      `${f.at.toFixed(3)} s</li>`
    ).join(""),
  );
}

function renderFds(m) {
  const fds = [...m.fds.values()].sort((a, b) => a.fd - b.fd);
  setText($("fd-count"), `(${m.fds.size} registered, ${m.closed.count} gone)`);
  let rows;
  if (fds.length <= MAX_ROWS) {
    rows = fds.map((fd) =>
      `<tr data-fd="${fd.fd}"><td>${fd.fd}</td><td>${escape(fd.name)}</td><td>${roles(fd)}</td>` +
      `<td>${bytes(fd.read, fd)}</td><td>${bytes(fd.written, fd)}</td></tr>`
    );
  } else {
    // Thousands of rows would freeze the page and say nothing: sum them up by name.
    const groups = new Map();
    for (const fd of fds) {
      const key = `${fd.name.split(",")[0]} ${roles(fd)}`;
      const group = groups.get(key) ??
        { name: fd.name.split(",")[0], as: roles(fd), n: 0, r: 0, w: 0 };
      group.n++;
      group.r += fd.read;
      group.w += fd.written;
      groups.set(key, group);
    }
    rows = [...groups.values()].map((g) =>
      `<tr class="aggregate"><td>${g.n}×</td><td>${escape(g.name)}</td><td>${g.as}</td>` +
      `<td>${g.r}</td><td>${g.w}</td></tr>`
    );
  }
  if (m.closed.count > 0) {
    rows.push(
      `<tr class="aggregate"><td>${m.closed.count}×</td><td>gone</td><td></td>` +
        `<td>${bytes(m.closed.read, m.closed)}</td><td>${
          bytes(m.closed.written, m.closed)
        }</td></tr>`,
    );
  }
  setHtml($("fds"), rows.join(""));
}

/**
 * Bytes are counted by lib/tcp's transports; a descriptor that reads its
 * socket itself (chapter 4's PoetrySocket) shows a dash until it counts any.
 */
function bytes(count, fd) {
  return fd.read + fd.written === 0 ? "–" : String(count);
}

function roles(fd) {
  return [fd.reader ? "reader" : "", fd.writer ? "writer" : ""].filter(Boolean).join(" + ");
}

function renderWorkers(m) {
  const w = m.workers;
  if (w === null) return setHtml($("workers"), "no thread pool yet");
  const boxes = [];
  for (let i = 0; i < w.workers; i++) {
    boxes.push(`<span class="worker${i < w.busy ? " busy" : ""}"></span>`);
  }
  setHtml(
    $("workers"),
    `${boxes.join("")}<p>${w.workers} Workers: ${w.busy} busy, ${w.workers - w.busy} idle; ` +
      `${w.queued} calls queued</p>`,
  );
}

/** The tutorial's Figure 5, live: the waits on the top row, each call's name on a row of its own. */
function renderStrip(m, now) {
  const canvas = $("strip");
  // Reading the canvas's size would make the browser lay the page out again, every frame.
  const width = stripWidth;
  if (canvas.width !== width) canvas.width = width;
  const ctx = canvas.getContext("2d");
  const labelWidth = 220;
  const rowHeight = 20;
  const end = Math.max(now, STRIP_SECONDS);
  const start = end - STRIP_SECONDS;
  const x = (t) => labelWidth + (t - start) / STRIP_SECONDS * (width - labelWidth - 10);
  ctx.clearRect(0, 0, width, canvas.height);
  ctx.font = "12px ui-monospace, monospace";
  const rows = ["reactor: waiting"];
  let other = false;
  const rowOf = (label) => {
    let row = rows.indexOf(label);
    if (row === -1) {
      if (rows.length >= 9) {
        other = true;
        return 9;
      }
      rows.push(label);
      row = rows.length - 1;
    }
    return row;
  };
  // A call that began before the window is cut at its left edge, not drawn over the names.
  ctx.save();
  ctx.beginPath();
  ctx.rect(labelWidth, 0, width - labelWidth, canvas.height);
  ctx.clip();
  let first = m.turns.length;
  while (first > 0 && m.turns[first - 1].end >= start) first--;
  for (const turn of m.turns.slice(first)) {
    const woke = turn.at + turn.waited;
    ctx.fillStyle = "#c9d6ea";
    ctx.fillRect(x(turn.at), 4, Math.max(1, x(woke) - x(turn.at)), rowHeight - 6);
    let t = woke;
    for (const call of turn.calls) {
      const row = rowOf(call.label.replace(/ fd \d+$/, ""));
      ctx.fillStyle = "#1f4e9a";
      ctx.fillRect(
        x(t),
        4 + row * rowHeight,
        Math.max(2, x(t + call.seconds) - x(t)),
        rowHeight - 6,
      );
      t += call.seconds;
    }
  }
  ctx.restore();
  if (other) rows[9] = "other calls";
  ctx.fillStyle = "#1d2330";
  rows.forEach((label, row) => ctx.fillText(label.slice(0, 30), 4, 16 + row * rowHeight));
  ctx.strokeStyle = "#d8dce5";
  ctx.beginPath();
  for (let s = Math.ceil(start); s <= end; s++) {
    ctx.moveTo(x(s), 0);
    ctx.lineTo(x(s), canvas.height - 14);
    ctx.fillText(`${s} s`, x(s) - 8, canvas.height - 2);
  }
  ctx.stroke();
  if (m.exit === null && m.last !== null) {
    ctx.strokeStyle = "#d9822b";
    ctx.beginPath();
    ctx.moveTo(x(now), 0);
    ctx.lineTo(x(now), canvas.height - 14);
    ctx.stroke();
  }
}

function renderOutput(m) {
  m.outputChanged = false;
  const pre = $("output");
  const lines = m.output.slice(-OUTPUT_LINES);
  pre.replaceChildren(...lines.map((line) => {
    const span = document.createElement("span");
    span.className = line.stream;
    span.textContent = `${line.output}\n`;
    return span;
  }));
  pre.scrollTop = pre.scrollHeight;
}

/** Changes the text only if it changed: every write costs the page a layout. */
function setText(element, text) {
  if (element.textContent !== text) element.textContent = text;
}

function setHtml(element, html) {
  if (element.dataset.html !== html) {
    element.dataset.html = html;
    element.innerHTML = html;
  }
}

function escape(text) {
  return String(text).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function formatSeconds(seconds) {
  const ms = seconds * 1000;
  if (ms >= 1000) return `${seconds.toFixed(3)} s`;
  return `${ms.toFixed(ms < 1 ? 3 : 1)} ms`;
}

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
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

/** For measurements and tests: how far behind the run the page shows it, in ms. */
globalThis.watchStats = () => {
  const half = Math.floor(lags.length / 2);
  const stat = (values) =>
    values.length === 0 ? null : {
      p50: percentile(values, 0.5),
      p95: percentile(values, 0.95),
      max: Math.max(...values),
    };
  return {
    turn: model.turn,
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

connect();
queueFrame();
