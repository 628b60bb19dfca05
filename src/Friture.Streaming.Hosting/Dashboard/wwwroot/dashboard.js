// Friture.Streaming dashboard: plain JavaScript, no build step. Connects to the host's WebSocket stream (falls back to
// Server-Sent Events), asks only for the data types of the visible panels at the resolution they draw, keeps the latest
// message per type and draws once per animation frame. Axis labels are DOM elements (so they can be measured and never
// drawn over); every panel also exposes its values as data-* attributes for scripts and tests.
(function () {
  "use strict";

  const body = document.body;
  const wsPath = body.dataset.wsPath || "";
  const ssePath = body.dataset.ssePath || "";
  const params = new URLSearchParams(window.location.search);
  const token = params.get("access_token");
  const statusEl = document.getElementById("status");
  const DASH = "–";
  const COLOURS = ["#4fc3f7", "#ffb74d", "#81c784", "#e57373", "#ba68c8", "#fff176"];
  const PANELS = [
    { id: "spectrum", type: "fft_spectrum", title: "FFT spectrum" },
    { id: "spectrogram", type: "spectrogram", title: "Spectrogram" },
    { id: "octave", type: "octave_spectrum", title: "Octave spectrum" },
    { id: "scope", type: "scope", title: "Scope" },
    { id: "levels", type: "levels", title: "Levels" },
    { id: "tuner", type: "pitch_tracker", title: "Pitch" },
    { id: "delay", type: "delay_estimator", title: "Delay" },
    { id: "loudness", type: "loudness", title: "Loudness", optional: true },
  ];

  const view = {
    spectrumScale: "log", spectrumFloor: -120, spectrogramMin: -120, spectrogramMax: 0, spectrogramSpan: 10, rate: 15,
  };
  const latest = Object.create(null);
  const dirty = Object.create(null);
  const hidden = new Set(JSON.parse(localStorage.getItem("friture.hidden") || "[]"));
  let serverTypes = null; // data types the server produces (from /session), null until known
  let paused = false;
  let socket = null;
  let transport = "";
  let retryMs = 500;
  let bytes = 0;
  let lastResolution = "";

  // ---- formatting --------------------------------------------------------------------------------------------------
  function isNum(v) { return typeof v === "number" && isFinite(v); }
  function fmt(v, digits) { return isNum(v) ? Number(v).toFixed(digits) : ""; }
  function signed(v, digits) {
    // No "-0.0": round first, then sign what is left.
    const r = Number(v.toFixed(digits));
    return (r > 0 ? "+" : r < 0 ? "−" : "±") + Math.abs(r).toFixed(digits);
  }
  function db(v, unit) { return isNum(v) && v > -150 ? v.toFixed(1) + " " + (unit || "dBFS") : DASH; }
  function hz(f) {
    if (!isNum(f)) { return DASH; }
    return f >= 1000 ? (f / 1000).toFixed(f >= 10000 ? 1 : 2) + " kHz" : f.toFixed(f >= 100 ? 1 : 2) + " Hz";
  }
  function hzTick(f) { return f >= 1000 ? (f / 1000) + "k" : String(f); }
  function polarityText(p) { return p === "in_phase" ? "same polarity" : p === "reversed" ? "reversed polarity" : "polarity unknown"; }

  function setStatus(state, kind, text) {
    statusEl.dataset.state = state;
    statusEl.dataset.transport = kind;
    statusEl.textContent = text;
  }

  let toastTimer = 0;
  function toast(text, error) {
    const el = document.getElementById("toast");
    el.textContent = text;
    el.className = "show" + (error ? " error" : "");
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.className = ""; }, error ? 6000 : 2500);
  }

  // ---- plots: canvas + DOM axes -------------------------------------------------------------------------------------
  // A plot keeps its canvas at device resolution, its plot rectangle (CSS px) inside the margins, and its axis labels
  // as absolutely positioned spans; labels that would overlap their neighbour are hidden, never drawn over each other.
  function Plot(id, margins) {
    this.el = document.getElementById(id + "-plot");
    this.canvas = this.el.querySelector("canvas");
    this.axes = this.el.querySelector(".axes");
    this.hoverEl = this.el.querySelector(".hover");
    this.margins = margins;
    this.width = 0; this.height = 0; this.key = "";
    this.rect = { x: 0, y: 0, w: 1, h: 1 };
  }
  Plot.prototype.resize = function () {
    const w = this.el.clientWidth, h = this.el.clientHeight;
    if (w === this.width && h === this.height) { return false; }
    this.width = w; this.height = h;
    const ratio = window.devicePixelRatio || 1;
    if (this.canvas) {
      this.canvas.width = Math.max(1, Math.round(w * ratio));
      this.canvas.height = Math.max(1, Math.round(h * ratio));
    }
    const m = this.margins;
    this.rect = { x: m.left, y: m.top, w: Math.max(1, w - m.left - m.right), h: Math.max(1, h - m.top - m.bottom) };
    this.key = "";
    return true;
  };
  Plot.prototype.context = function () {
    const ctx = this.canvas.getContext("2d");
    const ratio = this.canvas.width / Math.max(1, this.width);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return ctx;
  };
  // ticks: [{v, at, label}] with "at" in CSS px along the axis; builds the labels only when they change.
  Plot.prototype.setAxes = function (xTicks, yTicks, xTitle, yTitle, extra) {
    const key = JSON.stringify([this.width, this.height, xTicks.map(function (t) { return t.label + t.at.toFixed(1); }), yTicks.map(function (t) { return t.label + t.at.toFixed(1); }), xTitle, yTitle, extra ? extra.key : ""]);
    if (key === this.key) { return; }
    this.key = key;
    const r = this.rect, axes = this.axes;
    axes.textContent = "";
    const xs = [], ys = [];
    for (const t of xTicks) {
      const s = span("tick x", t.label); s.style.left = (r.x + t.at) + "px"; s.style.top = (r.y + r.h + 3) + "px"; axes.appendChild(s); xs.push(s);
    }
    for (const t of yTicks) {
      const s = span("tick y", t.label); s.style.left = (r.x - 4) + "px"; s.style.top = (r.y + t.at) + "px"; axes.appendChild(s); ys.push(s);
    }
    if (xTitle) { const s = span("axis-title x", xTitle); s.style.right = this.margins.right + "px"; s.style.bottom = "1px"; axes.appendChild(s); }
    if (yTitle) { const s = span("axis-title y", yTitle); s.style.left = "1px"; s.style.top = r.y + "px"; axes.appendChild(s); }
    if (extra) { extra.build(axes); }
    declutter(xs, true); declutter(ys, false);
    // Where the axes meet, the y label keeps its place and an x label under it gives way.
    for (const s of xs) {
      if (s.classList.contains("off")) { continue; }
      const b = s.getBoundingClientRect();
      for (const y of ys) { if (!y.classList.contains("off") && overlaps(inflate(b, 3), y.getBoundingClientRect())) { s.classList.add("off"); break; } }
    }
    // The x title sits in the corner; a tick label under it gives way.
    const title = axes.querySelector(".axis-title.x");
    if (title) { for (const s of xs) { if (!s.classList.contains("off") && overlaps(s.getBoundingClientRect(), title.getBoundingClientRect())) { s.classList.add("off"); } } }
  };
  Plot.prototype.hover = function (text) {
    if (!this.hoverEl) { return; }
    this.hoverEl.style.display = text ? "block" : "none";
    this.hoverEl.textContent = text || "";
  };
  Plot.prototype.inside = function (event) {
    const b = this.el.getBoundingClientRect(), r = this.rect;
    const x = event.clientX - b.left - r.x, y = event.clientY - b.top - r.y;
    return x >= 0 && y >= 0 && x <= r.w && y <= r.h ? { x: x, y: y } : null;
  };
  Plot.prototype.grid = function (ctx, xTicks, yTicks) {
    const r = this.rect;
    ctx.fillStyle = "#0e1115"; ctx.fillRect(0, 0, this.width, this.height);
    ctx.strokeStyle = "#262c35"; ctx.lineWidth = 1; ctx.beginPath();
    for (const t of xTicks) { const x = Math.round(r.x + t.at) + 0.5; ctx.moveTo(x, r.y); ctx.lineTo(x, r.y + r.h); }
    for (const t of yTicks) { const y = Math.round(r.y + t.at) + 0.5; ctx.moveTo(r.x, y); ctx.lineTo(r.x + r.w, y); }
    ctx.stroke();
    ctx.strokeStyle = "#3a4350"; ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
  };

  function span(cls, text) { const s = document.createElement("span"); s.className = cls; s.textContent = text; return s; }
  function inflate(r, by) { return { left: r.left - by, right: r.right + by, top: r.top - by, bottom: r.bottom + by }; }
  function overlaps(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function declutter(spans, horizontal) {
    let last = null;
    const sorted = spans.slice().sort(function (a, b) {
      const ra = a.getBoundingClientRect(), rb = b.getBoundingClientRect();
      return horizontal ? ra.left - rb.left : ra.top - rb.top;
    });
    for (const s of sorted) {
      const r = s.getBoundingClientRect();
      if (last && (horizontal ? r.left < last.right + 6 : r.top < last.bottom + 2)) { s.classList.add("off"); continue; }
      last = r;
    }
  }

  // Frequency axes: log (20 Hz .. fmax, 1-2-5 ticks) or linear (nice steps).
  function freqAxis(scale, fmin, fmax, length) {
    const lo = Math.max(scale === "log" ? 10 : 0, fmin), hi = Math.max(lo + 1, fmax);
    const pos = scale === "log"
      ? function (f) { return (Math.log(Math.max(f, lo)) - Math.log(lo)) / (Math.log(hi) - Math.log(lo)) * length; }
      : function (f) { return (f - lo) / (hi - lo) * length; };
    const inv = scale === "log"
      ? function (p) { return Math.exp(Math.log(lo) + p / length * (Math.log(hi) - Math.log(lo))); }
      : function (p) { return lo + p / length * (hi - lo); };
    const ticks = [];
    if (scale === "log") {
      for (let d = 10; d <= 100000; d *= 10) {
        for (const m of [1, 2, 5]) { const f = d * m; if (f >= lo && f <= hi) { ticks.push({ v: f, at: pos(f), label: hzTick(f) }); } }
      }
    } else {
      const step = niceStep((hi - lo) / Math.max(2, length / 70));
      for (let f = Math.ceil(lo / step) * step; f <= hi + 1e-9; f += step) { ticks.push({ v: f, at: pos(f), label: hzTick(Math.round(f)) }); }
    }
    return { pos: pos, inv: inv, ticks: ticks, lo: lo, hi: hi };
  }
  function niceStep(raw) {
    const p = Math.pow(10, Math.floor(Math.log10(raw))), n = raw / p;
    return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * p;
  }
  function linearAxis(lo, hi, length, invert, labelOf, targetPx) {
    const step = niceStep((hi - lo) / Math.max(2, length / (targetPx || 40)));
    const pos = function (v) { const u = (v - lo) / (hi - lo) * length; return invert ? length - u : u; };
    const inv = function (p) { return lo + (invert ? length - p : p) / length * (hi - lo); };
    const ticks = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) { ticks.push({ v: v, at: pos(v), label: labelOf(Number(v.toFixed(6))) }); }
    return { pos: pos, inv: inv, ticks: ticks };
  }

  const plots = {
    spectrum: new Plot("spectrum", { left: 46, right: 10, top: 6, bottom: 30 }),
    spectrogram: new Plot("spectrogram", { left: 46, right: 58, top: 6, bottom: 30 }),
    octave: new Plot("octave", { left: 46, right: 10, top: 6, bottom: 30 }),
    scope: new Plot("scope", { left: 46, right: 10, top: 6, bottom: 30 }),
    levels: new Plot("levels", { left: 46, right: 6, top: 20, bottom: 40 }),
  };

  // ---- spectrum ----------------------------------------------------------------------------------------------------
  function spectrumAxes() {
    const p = plots.spectrum, d = latest.fft_spectrum && latest.fft_spectrum.data;
    const nyquist = latest.fft_spectrum ? latest.fft_spectrum.metadata.sample_rate / 2 : 24000;
    const fx = freqAxis(view.spectrumScale, view.spectrumScale === "log" ? 20 : 0, Math.min(20000, nyquist), p.rect.w);
    const dy = linearAxis(view.spectrumFloor, 0, p.rect.h, true, function (v) { return String(v); }, 28);
    p.setAxes(fx.ticks, dy.ticks, "Frequency (Hz)", "Level (dBFS" + (d && d.weighting && d.weighting !== "Z" && d.weighting !== "none" ? ", " + d.weighting + "-weighted" : "") + ")");
    return { fx: fx, dy: dy };
  }
  function drawSpectrum() {
    const p = plots.spectrum, msg = latest.fft_spectrum;
    const a = spectrumAxes(), ctx = p.context(), r = p.rect;
    p.grid(ctx, a.fx.ticks, a.dy.ticks);
    if (!msg) { return; }
    const d = msg.data, f = d.frequencies || [], m = d.magnitudes_db || [];
    ctx.save(); ctx.beginPath(); ctx.rect(r.x, r.y, r.w, r.h); ctx.clip();
    ctx.strokeStyle = COLOURS[0]; ctx.lineWidth = 1.3; ctx.beginPath();
    let started = false;
    for (let i = 0; i < f.length; i++) {
      if (f[i] < a.fx.lo || f[i] > a.fx.hi) { continue; }
      const x = r.x + a.fx.pos(f[i]), y = r.y + a.dy.pos(Math.max(m[i], view.spectrumFloor));
      if (!started) { ctx.moveTo(x, y); started = true; } else { ctx.lineTo(x, y); }
    }
    ctx.stroke();
    if (isNum(d.peak_frequency) && isNum(d.peak_magnitude) && d.peak_frequency >= a.fx.lo && d.peak_frequency <= a.fx.hi) {
      const x = r.x + a.fx.pos(d.peak_frequency), y = r.y + a.dy.pos(Math.max(d.peak_magnitude, view.spectrumFloor));
      ctx.fillStyle = "#ffca28"; ctx.beginPath(); ctx.arc(x, y, 3.5, 0, 2 * Math.PI); ctx.fill();
    }
    ctx.restore();
  }
  function spectrumHover(pt) {
    const msg = latest.fft_spectrum; if (!msg) { return ""; }
    const a = spectrumAxes(), f = a.fx.inv(pt.x), d = msg.data, freqs = d.frequencies || [];
    const i = nearest(freqs, f);
    const level = i >= 0 ? d.magnitudes_db[i] : null;
    return hz(f) + ": " + db(level) + " (cursor " + a.dy.inv(pt.y).toFixed(1) + " dBFS)";
  }

  function nearest(sorted, v) {
    let lo = 0, hi = sorted.length - 1;
    if (hi < 0) { return -1; }
    while (hi - lo > 1) { const mid = (lo + hi) >> 1; if (sorted[mid] < v) { lo = mid; } else { hi = mid; } }
    return Math.abs(sorted[lo] - v) <= Math.abs(sorted[hi] - v) ? lo : hi;
  }

  // ---- spectrogram -------------------------------------------------------------------------------------------------
  const LUT = (function () {
    const lut = new Uint8ClampedArray(256 * 3);
    for (let i = 0; i < 256; i++) {
      const v = i / 255;
      lut[3 * i] = 255 * Math.min(1, Math.max(0, 1.8 * v - 0.3));
      lut[3 * i + 1] = 255 * Math.min(1, Math.max(0, 2.2 * v - 1.2));
      lut[3 * i + 2] = 255 * Math.min(1, Math.max(0, v < 0.5 ? 0.3 + 1.2 * v : 1.5 - 1.6 * v));
    }
    return lut;
  })();
  const sg = { columns: [], pending: [], image: null, lastTime: null, carry: 0, rowMap: null, rowKey: "" };
  function spectrogramScale(d) { return d && /lin/i.test(d.frequency_scale || "") ? "linear" : "log"; }
  function spectrogramAxes() {
    const p = plots.spectrogram, msg = latest.spectrogram, d = msg && msg.data;
    const fmin = d ? Math.max(d.min_frequency || 20, spectrogramScale(d) === "log" ? 20 : 0) : 20;
    const fmax = d ? d.max_frequency || 20000 : 20000;
    const fy = freqAxis(spectrogramScale(d), fmin, fmax, p.rect.h);
    const yTicks = fy.ticks.map(function (t) { return { v: t.v, at: p.rect.h - t.at, label: t.label }; });
    const tx = linearAxis(-view.spectrogramSpan, 0, p.rect.w, false, function (v) { return v === 0 ? "0 s" : v + " s"; }, 60);
    const r = p.rect, min = view.spectrogramMin, max = view.spectrogramMax;
    p.setAxes(tx.ticks, yTicks, "Time (s)", "Frequency (Hz)", {
      key: min + ":" + max,
      build: function (axes) {
        const bar = p.el.querySelector(".colorbar");
        const top = r.y + 22, height = Math.max(1, r.h - 22);
        bar.style.left = (r.x + r.w + 6) + "px"; bar.style.top = top + "px"; bar.style.height = height + "px";
        const stops = [];
        for (let i = 0; i <= 8; i++) { const k = Math.round(i / 8 * 255); stops.push("rgb(" + LUT[3 * k] + "," + LUT[3 * k + 1] + "," + LUT[3 * k + 2] + ") " + (i / 8 * 100) + "%"); }
        bar.style.background = "linear-gradient(to top, " + stops.join(", ") + ")";
        const cb = linearAxis(min, max, height, true, function (v) { return String(v); }, 26), labels = [];
        for (const t of cb.ticks) { const s = span("tick c", t.label); s.style.left = (r.x + r.w + 21) + "px"; s.style.top = (top + t.at) + "px"; axes.appendChild(s); labels.push(s); }
        declutter(labels, false);
        const unit = span("axis-title", "dBFS"); unit.style.left = (r.x + r.w + 6) + "px"; unit.style.top = r.y + "px"; axes.appendChild(unit);
      },
    });
    return { fy: fy, tx: tx };
  }
  function drawSpectrogram(force) {
    const p = plots.spectrogram, r = p.rect, ratio = p.canvas.width / Math.max(1, p.width);
    const a = spectrogramAxes();
    const w = Math.max(1, Math.round(r.w * ratio)), h = Math.max(1, Math.round(r.h * ratio));
    if (!sg.image || sg.image.width !== w || sg.image.height !== h) {
      sg.image = document.createElement("canvas"); sg.image.width = w; sg.image.height = h;
      const c = sg.image.getContext("2d"); c.fillStyle = "#000"; c.fillRect(0, 0, w, h);
      sg.rowKey = ""; force = true;
    }
    const cols = sg.pending.splice(0, sg.pending.length);
    if (cols.length || force) {
      const ictx = sg.image.getContext("2d"), pxPerS = w / view.spectrogramSpan;
      for (const col of cols) {
        const d = col.data, t = col.metadata.stream_time;
        let dx = sg.lastTime === null ? 1 : (t - sg.lastTime) * pxPerS + sg.carry;
        sg.lastTime = t;
        if (dx < 0 || dx > w) { dx = w; }
        const step = Math.floor(dx); sg.carry = dx - step;
        if (step < 1) { continue; }
        ictx.drawImage(sg.image, step, 0, w - step, h, 0, 0, w - step, h);
        const map = rowMap(d, a.fy, h), m = d.magnitudes_db || [];
        const img = ictx.createImageData(step, h), px = img.data;
        const lo = view.spectrogramMin, range = Math.max(1, view.spectrogramMax - lo);
        for (let y = 0; y < h; y++) {
          const v = map[y] < 0 ? lo : m[map[y]];
          const k = Math.max(0, Math.min(255, Math.round((v - lo) / range * 255))) * 3;
          for (let s = 0; s < step; s++) { const o = (y * step + s) * 4; px[o] = LUT[k]; px[o + 1] = LUT[k + 1]; px[o + 2] = LUT[k + 2]; px[o + 3] = 255; }
        }
        ictx.putImageData(img, w - step, 0);
      }
    }
    const ctx = p.context();
    ctx.fillStyle = "#0e1115"; ctx.fillRect(0, 0, p.width, p.height);
    ctx.drawImage(sg.image, r.x, r.y, r.w, r.h);
    ctx.strokeStyle = "#3a4350"; ctx.strokeRect(r.x + 0.5, r.y + 0.5, r.w - 1, r.h - 1);
  }
  function rowMap(d, fy, h) {
    const f = d.frequencies || [];
    const key = h + ":" + f.length + ":" + f[0] + ":" + f[f.length - 1] + ":" + fy.lo + ":" + fy.hi;
    if (key === sg.rowKey) { return sg.rowMap; }
    const map = new Int32Array(h);
    for (let y = 0; y < h; y++) {
      const freq = fy.inv((h - 1 - y + 0.5) / h * plots.spectrogram.rect.h);
      map[y] = f.length && freq >= f[0] * 0.5 && freq <= f[f.length - 1] * 1.05 ? nearest(f, freq) : -1;
    }
    sg.rowKey = key; sg.rowMap = map;
    return map;
  }
  function spectrogramHover(pt) {
    const a = spectrogramAxes(), f = a.fy.inv(plots.spectrogram.rect.h - pt.y), t = a.tx.inv(pt.x);
    const last = sg.columns.length ? sg.columns[sg.columns.length - 1] : null;
    if (!last) { return ""; }
    const target = last.metadata.stream_time + t;
    let best = null;
    for (const c of sg.columns) { if (!best || Math.abs(c.metadata.stream_time - target) < Math.abs(best.metadata.stream_time - target)) { best = c; } }
    const i = best ? nearest(best.data.frequencies || [], f) : -1;
    return hz(f) + " at " + t.toFixed(1) + " s: " + (i >= 0 && Math.abs(best.metadata.stream_time - target) < 0.5 ? db(best.data.magnitudes_db[i]) : DASH);
  }

  // ---- octave bars -------------------------------------------------------------------------------------------------
  function octaveAxes() {
    const p = plots.octave, d = latest.octave_spectrum && latest.octave_spectrum.data, n = d ? d.band_energies_db.length : 0;
    const band = p.rect.w / Math.max(1, n);
    const xTicks = [];
    for (let i = 0; i < n; i++) { xTicks.push({ v: i, at: (i + 0.5) * band, label: d.band_labels[i] || hzTick(Math.round(d.center_frequencies[i])) }); }
    const dy = linearAxis(-100, 0, p.rect.h, true, function (v) { return String(v); }, 28);
    p.setAxes(xTicks, dy.ticks, "Band centre (Hz)", "Band level (dBFS)");
    return { band: band, dy: dy, xTicks: xTicks };
  }
  function drawOctave() {
    const p = plots.octave, a = octaveAxes(), ctx = p.context(), r = p.rect;
    p.grid(ctx, [], a.dy.ticks);
    const msg = latest.octave_spectrum; if (!msg) { return; }
    const e = msg.data.band_energies_db;
    ctx.fillStyle = "#81c784";
    for (let i = 0; i < e.length; i++) {
      const y = a.dy.pos(Math.max(-100, Math.min(0, e[i])));
      ctx.fillRect(r.x + i * a.band + 1, r.y + y, Math.max(1, a.band - 2), r.h - y);
    }
  }
  function octaveHover(pt) {
    const msg = latest.octave_spectrum; if (!msg) { return ""; }
    const d = msg.data, a = octaveAxes(), i = Math.min(d.band_energies_db.length - 1, Math.floor(pt.x / a.band));
    return (d.band_labels[i] || "") + " Hz band (" + hz(d.lower_frequencies[i]) + " to " + hz(d.upper_frequencies[i]) + "): " + db(d.band_energies_db[i]);
  }

  // ---- scope -------------------------------------------------------------------------------------------------------
  function scopeAxes() {
    const p = plots.scope, d = latest.scope && latest.scope.data;
    const span = d && d.window_seconds ? d.window_seconds * 1000 : 50;
    const tx = linearAxis(0, span, p.rect.w, false, function (v) { return v + (v === 0 ? "" : ""); }, 55);
    const ay = linearAxis(-1, 1, p.rect.h, true, function (v) { return v.toFixed(1); }, 26);
    p.setAxes(tx.ticks, ay.ticks, "Time (ms)", "Amplitude (FS)");
    return { tx: tx, ay: ay, span: span };
  }
  function drawScope() {
    const p = plots.scope, a = scopeAxes(), ctx = p.context(), r = p.rect;
    p.grid(ctx, a.tx.ticks, a.ay.ticks);
    const msg = latest.scope; if (!msg) { return; }
    const d = msg.data, t = d.times || [];
    if (t.length < 2) { return; }
    const t0 = t[0];
    ctx.save(); ctx.beginPath(); ctx.rect(r.x, r.y, r.w, r.h); ctx.clip();
    for (let ch = 0; ch < d.samples.length; ch++) {
      const s = d.samples[ch];
      ctx.strokeStyle = COLOURS[ch % COLOURS.length]; ctx.lineWidth = 1.2; ctx.beginPath();
      for (let i = 0; i < s.length; i++) {
        const x = r.x + a.tx.pos((t[i] - t0) * 1000), y = r.y + a.ay.pos(Math.max(-1, Math.min(1, s[i])));
        if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
      }
      ctx.stroke();
    }
    ctx.restore();
  }
  function scopeHover(pt) {
    const msg = latest.scope; if (!msg) { return ""; }
    const a = scopeAxes(), d = msg.data, t = d.times || [];
    const ms = a.tx.inv(pt.x), i = t.length ? nearest(t.map(function (v) { return (v - t[0]) * 1000; }), ms) : -1;
    const values = i < 0 ? [] : d.samples.map(function (s, ch) { return (d.channel_labels[ch] || "ch" + (ch + 1)) + " " + fmt(s[i], 3); });
    return ms.toFixed(2) + " ms: " + values.join(", ") + " FS";
  }

  // ---- levels (DOM meters over a dBFS scale) -----------------------------------------------------------------------
  const METER_MIN = -60;
  const holds = [];
  const clips = [];
  const HOLD_MS = 1500, FALL_DB_PER_S = 20, CLIP_MS = 2000, CLIP_DB = -0.1;
  function levelPos(dbv, h) { return h - (Math.max(METER_MIN, Math.min(0, dbv)) - METER_MIN) / -METER_MIN * h; }
  function levelsLayout(n) {
    const p = plots.levels, r = p.rect, el = document.getElementById("levels");
    const dy = linearAxis(METER_MIN, 0, r.h, true, function (v) { return String(v); }, 24);
    p.setAxes([], dy.ticks, "", "Level (dBFS)", { key: "n" + n, build: function () {} });
    if (el.children.length !== n || el.dataset.layout !== p.key) {
      el.textContent = ""; el.dataset.layout = p.key;
      const slot = r.w / Math.max(1, n), width = Math.max(8, Math.min(36, slot * 0.45));
      for (let i = 0; i < n; i++) {
        const m = document.createElement("div"); m.className = "meter";
        m.style.left = (r.x + slot * (i + 0.5) - width / 2) + "px"; m.style.width = width + "px";
        m.innerHTML = '<div class="clip">CLIP</div><div class="track"></div><div class="cover"></div><div class="peak"></div><div class="hold"></div><div class="name"></div><div class="value"></div>';
        const q = function (c) { return m.querySelector(c); };
        q(".clip").style.top = "2px";
        q(".track").style.top = r.y + "px"; q(".track").style.height = r.h + "px";
        q(".cover").style.top = r.y + "px";
        q(".name").style.top = (r.y + r.h + 3) + "px";
        q(".value").style.top = (r.y + r.h + 16) + "px";
        el.appendChild(m);
      }
    }
    return r;
  }
  function drawLevels() {
    const msg = latest.levels; if (!msg) { return; }
    const d = msg.data, n = (d.rms_levels_db || []).length, now = performance.now();
    const r = levelsLayout(n), el = document.getElementById("levels");
    let anyClip = false;
    for (let i = 0; i < n; i++) {
      const m = el.children[i], q = function (c) { return m.querySelector(c); };
      const hold = Math.max(holds[i] ? currentHold(holds[i], now) : -200, d.peak_hold_levels_db[i]);
      q(".cover").style.height = levelPos(d.rms_levels_db[i], r.h) + "px";
      q(".peak").style.top = (r.y + levelPos(d.peak_levels_db[i], r.h) - 1) + "px";
      q(".peak").style.display = d.peak_levels_db[i] > METER_MIN ? "block" : "none";
      q(".hold").style.top = (r.y + levelPos(hold, r.h) - 1) + "px";
      q(".hold").style.display = hold > METER_MIN ? "block" : "none";
      const clipping = clips[i] !== undefined && now - clips[i] < CLIP_MS;
      anyClip = anyClip || clipping;
      q(".clip").classList.toggle("on", !!clipping);
      q(".name").textContent = d.channel_labels[i] || "ch" + (i + 1);
      q(".value").innerHTML = "";
      q(".value").appendChild(document.createTextNode("pk " + (d.peak_levels_db[i] > -150 ? d.peak_levels_db[i].toFixed(1) : DASH)));
      q(".value").appendChild(document.createElement("br"));
      q(".value").appendChild(document.createTextNode("rms " + (d.rms_levels_db[i] > -150 ? d.rms_levels_db[i].toFixed(1) : DASH)));
    }
    el.dataset.clip = String(anyClip);
    document.getElementById("levels-readout").textContent = (d.weighting && d.weighting !== "Z" ? d.weighting + "-weighted, " : "") + "peak / RMS in dBFS" + (anyClip ? ", CLIPPING" : "");
  }
  function updateHolds(peaks) {
    const now = performance.now();
    for (let i = 0; i < peaks.length; i++) {
      const h = holds[i];
      if (!h || peaks[i] >= currentHold(h, now)) { holds[i] = { db: peaks[i], at: now }; }
      if (peaks[i] >= CLIP_DB) { clips[i] = now; }
    }
    holds.length = peaks.length;
  }
  function currentHold(h, now) {
    const age = now - h.at;
    return age <= HOLD_MS ? h.db : h.db - (age - HOLD_MS) / 1000 * FALL_DB_PER_S;
  }

  // ---- tuner, delay, loudness --------------------------------------------------------------------------------------
  (function tunerScale() {
    const el = document.getElementById("tuner-scale");
    for (const c of [-50, -25, 0, 25, 50]) { const s = span("tick x", c === 0 ? "0" : (c > 0 ? "+" : "−") + Math.abs(c)); s.style.left = (50 + c) + "%"; s.style.top = "0"; el.appendChild(s); }
    const u = span("tick x", "cents"); u.style.left = "50%"; u.style.top = "13px"; u.style.display = "none"; el.appendChild(u);
  })();
  function drawTuner() {
    const msg = latest.pitch_tracker; if (!msg) { return; }
    const d = msg.data, voiced = isNum(d.frequency_hz);
    document.getElementById("tuner-note").textContent = voiced ? d.note_name || DASH : DASH;
    document.getElementById("tuner-freq").textContent = voiced ? fmt(d.frequency_hz, 2) + " Hz, confidence " + fmt(d.confidence * 100, 0) + " %" : "no pitch (level " + db(d.amplitude_db) + ")";
    const cents = voiced && isNum(d.cents_offset) ? d.cents_offset : null;
    document.getElementById("tuner-cents").textContent = cents === null ? DASH + " cents" : signed(cents, 1) + " cents";
    const needle = document.getElementById("tuner-needle");
    needle.classList.toggle("none", cents === null);
    needle.style.left = (cents === null ? 50 : 50 + Math.max(-50, Math.min(50, cents))) + "%";
    document.getElementById("tuner-readout").textContent = "A4 = " + fmt(d.reference_a4_hz, 1) + " Hz";
  }
  function drawDelay() {
    const msg = latest.delay_estimator; if (!msg) { return; }
    const d = msg.data;
    if (d.inactive_reason) {
      document.getElementById("delay-ms").textContent = DASH;
      document.getElementById("delay-detail").textContent = "Inactive: " + d.inactive_reason.replace(/^inactive: /, "");
      return;
    }
    if (!isNum(d.delay_ms)) {
      document.getElementById("delay-ms").textContent = DASH + " ms";
      document.getElementById("delay-detail").textContent = "no coherent signal on both channels (confidence " + fmt((d.confidence || 0) * 100, 0) + " %)";
      return;
    }
    document.getElementById("delay-ms").textContent = signed(d.delay_ms, 2).replace("±", "") + " ms";
    document.getElementById("delay-detail").textContent = fmt(d.distance_m, 2) + " m, " + fmt(d.delay_samples, 1) + " samples, confidence " + fmt(d.confidence * 100, 0) + " %, " + polarityText(d.polarity);
    document.getElementById("delay-readout").textContent = "channel 2 " + (d.delay_ms >= 0 ? "behind" : "ahead of") + " channel 1";
  }
  function drawLoudness() {
    const msg = latest.loudness; if (!msg) { return; }
    const d = msg.data;
    const put = function (id, v, unit) { document.getElementById(id).textContent = isNum(v) ? v.toFixed(1) + " " + unit : DASH; };
    put("ld-m", d.momentary_lufs, "LUFS"); put("ld-s", d.short_term_lufs, "LUFS"); put("ld-i", d.integrated_lufs, "LUFS");
    put("ld-lra", d.loudness_range_lu, "LU"); put("ld-tp", d.true_peak_dbtp, "dBTP"); put("ld-sp", d.sample_peak_dbfs, "dBFS");
    put("ld-mm", d.max_momentary_lufs, "LUFS"); put("ld-ms", d.max_short_term_lufs, "LUFS"); put("ld-d", d.duration_s, "s");
  }

  // ---- messages ----------------------------------------------------------------------------------------------------
  function handleText(text) {
    let parsed;
    try { parsed = JSON.parse(text); } catch (e) { return; }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    for (const message of items) {
      if (!message) { continue; }
      if (message.type && !message.metadata) { control(message); continue; }
      if (!message.metadata || !message.data) { continue; }
      receive(message.metadata.data_type, message);
    }
  }

  function control(m) {
    if (m.type === "configured") { toast(title(m.data_type) + ": settings applied"); }
    else if (m.type === "reset") { toast(title(m.data_type) + ": reset"); }
    else if (m.type === "error") { toast("Server: " + m.message, true); }
  }
  function title(type) { const p = PANELS.find(function (x) { return x.type === type; }); return p ? p.title : type; }

  function receive(type, message) {
    if (paused) { return; }
    const d = message.data, m = message.metadata;
    if (type === "spectrogram") {
      sg.pending.push(message); sg.columns.push(message);
      while (sg.columns.length > 600) { sg.columns.shift(); }
      if (sg.pending.length > 600) { sg.pending.shift(); }
      const el = document.getElementById("spectrogram");
      el.dataset.columns = String(Number(el.dataset.columns || "0") + 1);
    }
    latest[type] = message;
    dirty[type] = true;
    document.getElementById("source").textContent = m.sample_rate ? m.sample_rate + " Hz, " + m.channels + " ch, t = " + fmt(m.stream_time, 1) + " s" : "";
    syncSettings(type, d);
    switch (type) {
      case "fft_spectrum": {
        const el = document.getElementById("spectrum");
        bump(el);
        el.dataset.peakHz = fmt(d.peak_frequency, 2);
        el.dataset.peakDb = fmt(d.peak_magnitude, 2);
        el.dataset.fftSize = String(d.fft_size);
        el.dataset.points = String((d.frequencies || []).length);
        document.getElementById("spectrum-readout").textContent = (isNum(d.peak_frequency) ? "peak " + hz(d.peak_frequency) + " at " + db(d.peak_magnitude) : "peak " + DASH) +
          ", FFT " + d.fft_size + ", " + d.window_type + (d.weighting && d.weighting !== "Z" && d.weighting !== "none" ? ", " + d.weighting + "-weighted" : "");
        break;
      }
      case "levels": {
        const el = document.getElementById("levels");
        bump(el);
        el.dataset.peakDb = (d.peak_levels_db || []).map(function (v) { return fmt(v, 2); }).join(",");
        el.dataset.rmsDb = (d.rms_levels_db || []).map(function (v) { return fmt(v, 2); }).join(",");
        el.dataset.peakHoldDb = (d.peak_hold_levels_db || []).map(function (v) { return fmt(v, 2); }).join(",");
        updateHolds(d.peak_levels_db || []);
        break;
      }
      case "pitch_tracker": {
        const el = document.getElementById("tuner");
        bump(el);
        el.dataset.note = d.note_name || "";
        el.dataset.frequencyHz = fmt(d.frequency_hz, 2);
        el.dataset.cents = fmt(d.cents_offset, 1);
        el.dataset.confidence = fmt(d.confidence, 2);
        break;
      }
      case "octave_spectrum": {
        const el = document.getElementById("octave");
        bump(el);
        const energies = d.band_energies_db || [];
        el.dataset.bands = String(energies.length);
        let best = -1;
        for (let i = 0; i < energies.length; i++) { if (best < 0 || energies[i] > energies[best]) { best = i; } }
        el.dataset.maxBandHz = best >= 0 ? fmt(d.center_frequencies[best], 1) : "";
        document.getElementById("octave-readout").textContent = "overall " + db(d.overall_level) +
          (best >= 0 && energies[best] > -150 ? ", loudest band " + (d.band_labels[best] || fmt(d.center_frequencies[best], 0)) + " Hz" : "") + ", 1/" + d.bands_per_octave + " octave";
        break;
      }
      case "scope": {
        const el = document.getElementById("scope");
        bump(el);
        el.dataset.points = String((d.times || []).length);
        el.dataset.triggered = String(!!d.triggered);
        document.getElementById("scope-readout").textContent = fmt(d.window_seconds * 1000, 1) + " ms window" + (d.triggered ? ", triggered" : ", free running");
        break;
      }
      case "delay_estimator": {
        const el = document.getElementById("delay");
        bump(el);
        el.dataset.delayMs = fmt(d.delay_ms, 3);
        el.dataset.confidence = fmt(d.confidence, 2);
        el.dataset.polarity = String(d.polarity);
        el.dataset.inactive = d.inactive_reason || "";
        break;
      }
      case "loudness": {
        const el = document.getElementById("loudness");
        bump(el);
        el.dataset.momentary = fmt(d.momentary_lufs, 1);
        el.dataset.shortTerm = fmt(d.short_term_lufs, 1);
        el.dataset.integrated = fmt(d.integrated_lufs, 1);
        if (document.getElementById("loudness-panel").hidden && !hidden.has("loudness")) { showOptional("loudness"); }
        break;
      }
    }
  }
  function bump(el) { el.dataset.updates = String(Number(el.dataset.updates || "0") + 1); }

  // ---- frame loop --------------------------------------------------------------------------------------------------
  const draws = { fft_spectrum: drawSpectrum, octave_spectrum: drawOctave, levels: drawLevels, pitch_tracker: drawTuner, scope: drawScope, delay_estimator: drawDelay, loudness: drawLoudness };
  let resizeTimer = 0;
  function frame() {
    let resized = false;
    for (const name in plots) { if (plots[name].resize()) { resized = true; } }
    if (resized) {
      for (const type in draws) { dirty[type] = true; }
      clearTimeout(resizeTimer); resizeTimer = setTimeout(resubscribe, 400);
    }
    for (const type in draws) {
      if (dirty[type] || (type === "levels" && latest.levels && !paused)) { dirty[type] = false; draws[type](); }
    }
    if (!paused || resized) { drawSpectrogram(resized); }
    requestAnimationFrame(frame);
  }

  // ---- hover readouts ----------------------------------------------------------------------------------------------
  function wireHover(name, fn) {
    const p = plots[name];
    p.el.addEventListener("mousemove", function (e) { const pt = p.inside(e); p.hover(pt ? fn(pt) : ""); });
    p.el.addEventListener("mouseleave", function () { p.hover(""); });
  }
  wireHover("spectrum", spectrumHover);
  wireHover("spectrogram", spectrogramHover);
  wireHover("octave", octaveHover);
  wireHover("scope", scopeHover);

  // ---- controls: pause, panels, settings ---------------------------------------------------------------------------
  const pauseButton = document.getElementById("pause");
  function setPaused(value) {
    paused = value;
    pauseButton.setAttribute("aria-pressed", String(paused));
    pauseButton.textContent = paused ? "Resume" : "Pause";
    body.dataset.paused = String(paused);
  }
  pauseButton.addEventListener("click", function () { setPaused(!paused); });
  document.addEventListener("keydown", function (e) {
    if (e.code === "Space" && !(e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement)) { e.preventDefault(); setPaused(!paused); }
  });

  function panelEl(p) { return document.getElementById(p.id + "-panel"); }
  function available(p) { return serverTypes ? serverTypes.indexOf(p.type) >= 0 : !p.optional; }
  function buildToggles() {
    const box = document.getElementById("panel-toggles");
    box.textContent = "";
    for (const p of PANELS) {
      if (!available(p)) { continue; }
      const label = document.createElement("label"), input = document.createElement("input");
      input.type = "checkbox"; input.checked = !hidden.has(p.id); input.dataset.panel = p.id;
      input.addEventListener("change", function () { setHidden(p.id, !input.checked); });
      label.appendChild(input); label.appendChild(document.createTextNode(" " + p.title + " (" + p.type + ")"));
      box.appendChild(label);
    }
  }
  function applyVisibility() {
    for (const p of PANELS) { panelEl(p).hidden = hidden.has(p.id) || !available(p); }
    // The bottom row holds pitch, delay and loudness: without loudness the delay panel takes its place too.
    document.getElementById("delay-panel").classList.toggle("span2", document.getElementById("loudness-panel").hidden);
  }
  function setHidden(id, value) {
    if (value) { hidden.add(id); } else { hidden.delete(id); }
    localStorage.setItem("friture.hidden", JSON.stringify(Array.from(hidden)));
    applyVisibility();
    resubscribe();
  }
  function showOptional(id) { const p = PANELS.find(function (x) { return x.id === id; }); if (p && serverTypes && serverTypes.indexOf(p.type) < 0) { serverTypes.push(p.type); buildToggles(); } applyVisibility(); }
  // Exposed for scripts and tests: window.friture.setHidden("scope", true).
  window.friture = { setHidden: setHidden, setPaused: setPaused, subscription: function () { return subscription(); } };

  document.getElementById("loudness-reset").addEventListener("click", function () { send({ action: "reset", data_type: "loudness" }); });

  const form = document.getElementById("settings");
  const touched = new Set();
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  form.addEventListener("change", function (e) {
    const el = e.target;
    if (el.dataset.client) {
      view[el.dataset.client] = el.type === "number" ? Number(el.value) : el.value;
      if (el.dataset.client === "rate" || el.dataset.client === "spectrumScale") { resubscribe(); }
      for (const type in draws) { dirty[type] = true; }
      sg.rowKey = ""; sg.lastTime = null;
      for (const n in plots) { plots[n].key = ""; }
      return;
    }
    const options = {};
    let value = el.type === "number" ? Number(el.value) : el.value;
    if (el.dataset.scale) { value = value * Number(el.dataset.scale); }
    if (el.dataset.option === "fft_size" || el.dataset.option === "bands_per_octave") { value = Number(value); }
    options[el.dataset.option] = value;
    touched.add(el.dataset.type + "." + el.dataset.option);
    if (!send({ action: "configure", data_type: el.dataset.type, options: options })) { toast("Settings need the WebSocket connection (not available over SSE).", true); }
  });
  // Show the analyzers' current settings (from their messages) until the user changes one.
  function syncSettings(type, d) {
    const values = {
      fft_spectrum: { fft_size: d.fft_size, window: d.window_type, weighting: d.weighting },
      octave_spectrum: { bands_per_octave: d.bands_per_octave, weighting: d.weighting },
      spectrogram: { fft_size: d.fft_size, scale: d.frequency_scale },
      scope: { window_seconds: d.window_seconds },
      pitch_tracker: { reference_a4_hz: d.reference_a4_hz },
      levels: { weighting: d.weighting },
    }[type];
    if (!values) { return; }
    for (const option in values) {
      const el = form.querySelector('[data-type="' + type + '"][data-option="' + option + '"]');
      if (!el || values[option] === undefined || values[option] === null || document.activeElement === el) { continue; }
      let v = values[option];
      if (el.dataset.scale) { v = Math.round(v / Number(el.dataset.scale) * 1000) / 1000; }
      if (el.tagName === "SELECT") {
        const match = Array.from(el.options).find(function (o) { return o.value.toLowerCase() === String(v).toLowerCase() || o.value.replace(/_/g, "").toLowerCase() === String(v).replace(/_/g, "").toLowerCase(); });
        if (match) { el.value = match.value; }
      } else { el.value = String(v); }
    }
  }

  // ---- subscription: only visible types, at the resolution drawn ---------------------------------------------------
  function visibleTypes() {
    const types = [];
    for (const p of PANELS) { if (available(p) && !hidden.has(p.id)) { types.push(p.type); } }
    return types;
  }
  function resolution() {
    const nyquist = latest.fft_spectrum ? latest.fft_spectrum.metadata.sample_rate / 2 : 24000;
    const sp = plots.spectrum.rect, sgr = plots.spectrogram.rect, sc = plots.scope.rect;
    return {
      // One point per two pixels for the line plots (log-spaced band maxima, min/max pairs for the scope): what is drawn.
      fft_spectrum: { points: clampPoints(sp.w / 2), fmin: view.spectrumScale === "log" ? 20 : 0, fmax: Math.min(20000, nyquist), scale: view.spectrumScale === "log" ? "log" : "linear" },
      spectrogram: { points: clampPoints(sgr.h), scale: "log" },
      scope: { points: clampPoints(sc.w / 2) },
    };
  }
  // Even: the scope's min/max reduction sends pairs.
  function clampPoints(px) { return 2 * Math.round(Math.max(64, Math.min(1024, px || 400)) / 2); }
  function subscription() { return { action: "subscribe", types: visibleTypes(), rate: view.rate, resolution: resolution(), format: "json" }; }
  function resubscribe() {
    const message = subscription();
    const key = JSON.stringify(message);
    if (key === lastResolution) { return; }
    if (send(message)) { lastResolution = key; }
    else if (transport === "sse") { lastResolution = ""; reconnectSse(); }
  }
  function send(message) {
    if (!socket || socket.readyState !== 1) { return false; }
    socket.send(JSON.stringify(message));
    return true;
  }
  function queryString(u) {
    const s = subscription();
    u.searchParams.set("types", s.types.join(","));
    u.searchParams.set("rate", String(s.rate));
    const r = s.resolution;
    for (const type in r) { for (const k in r[type]) { u.searchParams.set(type + "." + k, String(r[type][k])); } }
    if (token) { u.searchParams.set("access_token", token); }
  }

  // ---- transport ---------------------------------------------------------------------------------------------------
  function streamUrl(path, scheme) {
    const u = new URL(path, window.location.href);
    if (scheme) { u.protocol = scheme; }
    queryString(u);
    return u.toString();
  }

  // Asks the server whether this page may stream (token) and which data types it produces.
  function checkSession() {
    const u = new URL("session", window.location.href);
    if (token) { u.searchParams.set("access_token", token); }
    return fetch(u.toString(), { cache: "no-store" }).then(function (response) {
      if (response.status === 401) { return { authorized: false }; }
      if (!response.ok) { return { authorized: true }; }
      return response.json();
    }).catch(function () { return { authorized: true, unreachable: true }; });
  }

  function unauthorized() {
    setStatus("unauthorized", transport, token ? "access token rejected" : "access token required");
    if (document.getElementById("auth")) { return; }
    const box = document.createElement("div");
    box.id = "auth";
    box.innerHTML = '<div class="box"><h2></h2><p></p><form><input name="token" type="password" placeholder="access token" autocomplete="off"> <button type="submit">Connect</button></form></div>';
    box.querySelector("h2").textContent = token ? "The access token in this URL is not valid" : "This server needs an access token";
    box.querySelector("p").textContent = "Open the dashboard URL that friture-stream printed at start-up (it ends with ?access_token=...), or paste the token here.";
    box.querySelector("form").addEventListener("submit", function (e) {
      e.preventDefault();
      const u = new URL(window.location.href); u.searchParams.set("access_token", box.querySelector("input").value); window.location.href = u.toString();
    });
    body.appendChild(box);
  }

  function connectWebSocket() {
    if (!wsPath || !("WebSocket" in window)) { connectSse(); return; }
    transport = "websocket";
    setStatus("connecting", "websocket", "connecting (WebSocket)…");
    let opened = false;
    const ws = new WebSocket(streamUrl(wsPath, window.location.protocol === "https:" ? "wss:" : "ws:"));
    socket = ws;
    ws.onopen = function () {
      opened = true; retryMs = 500; lastResolution = "";
      setStatus("connected", "websocket", "connected (WebSocket)");
      resubscribe();
    };
    ws.onmessage = function (e) {
      if (typeof e.data === "string") { bytes += e.data.length; body.dataset.wsBytes = String(bytes); handleText(e.data); }
    };
    ws.onclose = function () {
      socket = null;
      checkSession().then(function (s) {
        if (s.authorized === false) { unauthorized(); return; }
        if (!opened && ssePath) { connectSse(); return; }
        setStatus("disconnected", "websocket", "disconnected, retrying in " + (retryMs / 1000).toFixed(1) + " s");
        setTimeout(connectWebSocket, retryMs); retryMs = Math.min(retryMs * 2, 5000);
      });
    };
  }

  let eventSource = null;
  function connectSse() {
    if (!ssePath || !("EventSource" in window)) { setStatus("disconnected", "", "no stream endpoint"); return; }
    transport = "sse";
    setStatus("connecting", "sse", "connecting (SSE)…");
    document.getElementById("settings-note").textContent = "Over SSE the page can only read: analysis settings need the WebSocket stream.";
    const es = new EventSource(streamUrl(ssePath));
    eventSource = es;
    es.onopen = function () { setStatus("connected", "sse", "connected (SSE)"); };
    es.onmessage = function (e) { bytes += e.data.length; body.dataset.wsBytes = String(bytes); handleText(e.data); };
    es.onerror = function () {
      checkSession().then(function (s) {
        if (s.authorized === false) { es.close(); unauthorized(); return; }
        // A refused request (400) says why in its body: show it rather than retrying in silence.
        const controller = new AbortController();
        fetch(streamUrl(ssePath), { signal: controller.signal, cache: "no-store" }).then(function (response) {
          if (response.status >= 400 && response.status < 500) {
            return response.text().then(function (text) { es.close(); setStatus("disconnected", "sse", "stream refused: " + text); });
          }
          controller.abort();
          setStatus("connecting", "sse", "reconnecting (SSE)…");
        }).catch(function () { setStatus("connecting", "sse", "reconnecting (SSE)…"); });
      });
    };
  }
  function reconnectSse() { if (eventSource) { eventSource.close(); } connectSse(); }

  // ---- start -------------------------------------------------------------------------------------------------------
  applyVisibility();
  buildToggles();
  for (const name in plots) { plots[name].resize(); }
  checkSession().then(function (s) {
    if (s.authorized === false) { unauthorized(); return; }
    if (Array.isArray(s.types)) { serverTypes = s.types.slice(); }
    applyVisibility();
    buildToggles();
    for (const name in plots) { plots[name].resize(); }
    if (params.get("transport") === "sse") { connectSse(); } else { connectWebSocket(); }
  });
  requestAnimationFrame(frame);
})();
