// The page of `deno task part3:watch`, part 2 of 3: drawing a model (see
// model.js) into the page: the loop as a cycle, the delayed calls as
// countdown bars, the descriptors, the Workers, the strip of turns (chapter
// 3's Figure 5, live) and the output. Each part writes the DOM only where
// it changed: every write costs the browser work the watched program needs.
import { OUTPUT_LINES } from "./model.js";

/** Rows of descriptors shown one by one; past this, summed up by name. */
const MAX_ROWS = 200;
/** Delayed calls shown as bars; the rest are summed up in one line. */
const MAX_TIMER_ROWS = 12;
/** Seconds of the run the strip of turns shows. */
const STRIP_SECONDS = 6;

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

let lastHeavy = 0;
let stripWidth = 1200;
// Reading the canvas's size in a frame would make the browser lay the page out again, every frame.
const measureStrip = () => {
  stripWidth = $("strip").clientWidth || 1200;
};
addEventListener("resize", measureStrip);
addEventListener("load", measureStrip);

/** Draws model `m` as it is at `now` (seconds of the run), under the `status` line. */
export function render(m, now, status) {
  const title = `reactor turn ${m.running?.turn ?? m.turn}`;
  if (document.title !== title) document.title = title;
  setText($("task"), m.task || "part3:watch");
  setText($("reactor"), m.reactor);
  setText($("status"), status);
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
