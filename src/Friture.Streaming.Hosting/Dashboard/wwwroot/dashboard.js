// Friture.Streaming dashboard: plain JavaScript, no build step. Connects to the host's WebSocket stream, falls back to
// Server-Sent Events, keeps the latest message per data type and draws once per animation frame. Every panel exposes its
// current values as data-* attributes so tests and scripts can read them from the DOM.
(function () {
  "use strict";

  const body = document.body;
  const wsPath = body.dataset.wsPath || "";
  const ssePath = body.dataset.ssePath || "";
  const statusEl = document.getElementById("status");
  const latest = Object.create(null);
  const dirty = Object.create(null);
  const spectrogramColumns = [];
  const holds = [];
  const HOLD_MS = 1500;
  const FALL_DB_PER_S = 20;
  let retryMs = 500;

  function setStatus(state, transport, text) {
    statusEl.dataset.state = state;
    statusEl.dataset.transport = transport;
    statusEl.textContent = text;
  }

  function fmt(value, digits) {
    return value === null || value === undefined || !isFinite(value) ? "" : Number(value).toFixed(digits);
  }

  function handleText(text) {
    let parsed;
    try { parsed = JSON.parse(text); } catch (e) { return; }
    const items = Array.isArray(parsed) ? parsed : [parsed];
    for (const message of items) {
      if (!message || !message.metadata || !message.data) { continue; }
      receive(message.metadata.data_type, message);
    }
  }

  function receive(type, message) {
    latest[type] = message;
    dirty[type] = true;
    const d = message.data;
    const m = message.metadata;
    document.getElementById("source").textContent = m.sample_rate ? m.sample_rate + " Hz, " + m.channels + " ch, t = " + fmt(m.stream_time, 1) + " s" : "";
    switch (type) {
      case "fft_spectrum": {
        const el = document.getElementById("spectrum");
        bump(el);
        el.dataset.peakHz = fmt(d.peak_frequency, 2);
        el.dataset.peakDb = fmt(d.peak_magnitude, 2);
        document.getElementById("spectrum-readout").textContent = "peak " + fmt(d.peak_frequency, 1) + " Hz at " + fmt(d.peak_magnitude, 1) + " dBFS";
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
        document.getElementById("octave-readout").textContent = "overall " + fmt(d.overall_level, 1) + " dBFS" +
          (best >= 0 ? ", loudest band " + (d.band_labels[best] || fmt(d.center_frequencies[best], 0)) : "");
        break;
      }
      case "spectrogram": {
        const el = document.getElementById("spectrogram");
        spectrogramColumns.push(d);
        if (spectrogramColumns.length > 64) { spectrogramColumns.shift(); }
        el.dataset.columns = String(Number(el.dataset.columns || "0") + 1);
        break;
      }
      case "scope": {
        const el = document.getElementById("scope");
        bump(el);
        el.dataset.points = String((d.times || []).length);
        el.dataset.triggered = String(!!d.triggered);
        document.getElementById("scope-readout").textContent = fmt(d.window_seconds * 1000, 1) + " ms" + (d.triggered ? ", triggered" : "");
        break;
      }
      case "delay_estimator": {
        const el = document.getElementById("delay");
        bump(el);
        el.dataset.delayMs = fmt(d.delay_ms, 3);
        el.dataset.confidence = fmt(d.confidence, 2);
        el.dataset.polarity = String(d.polarity);
        break;
      }
    }
  }

  function bump(el) { el.dataset.updates = String(Number(el.dataset.updates || "0") + 1); }

  function updateHolds(peaks) {
    const now = performance.now();
    for (let i = 0; i < peaks.length; i++) {
      const h = holds[i];
      if (!h || peaks[i] >= currentHold(h, now)) { holds[i] = { db: peaks[i], at: now }; }
    }
    holds.length = peaks.length;
  }

  function currentHold(h, now) {
    const age = now - h.at;
    return age <= HOLD_MS ? h.db : h.db - (age - HOLD_MS) / 1000 * FALL_DB_PER_S;
  }

  // ---- drawing -------------------------------------------------------------------------------------------------
  const LOG_MIN = Math.log10(20), LOG_MAX = Math.log10(20000);
  function xOfFreq(f, width) { return (Math.log10(Math.max(f, 20)) - LOG_MIN) / (LOG_MAX - LOG_MIN) * width; }
  function yOfDb(db, height, lo, hi) { return height - (Math.min(Math.max(db, lo), hi) - lo) / (hi - lo) * height; }

  function grid(ctx, w, h, lo, hi) {
    ctx.strokeStyle = "#262c35"; ctx.fillStyle = "#5f6b7a"; ctx.lineWidth = 1; ctx.font = "11px sans-serif";
    for (const f of [50, 100, 200, 500, 1000, 2000, 5000, 10000]) {
      const x = Math.round(xOfFreq(f, w)) + 0.5;
      ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, h); ctx.stroke();
      ctx.fillText(f >= 1000 ? f / 1000 + "k" : String(f), x + 2, h - 3);
    }
    for (let db = hi; db >= lo; db -= 20) {
      const y = Math.round(yOfDb(db, h, lo, hi)) + 0.5;
      ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(w, y); ctx.stroke();
      ctx.fillText(db + " dB", 2, y + 11);
    }
  }

  function drawSpectrum() {
    const msg = latest.fft_spectrum; if (!msg) { return; }
    const c = document.getElementById("spectrum"), ctx = c.getContext("2d"), w = c.width, h = c.height, d = msg.data;
    ctx.clearRect(0, 0, w, h); grid(ctx, w, h, -120, 0);
    const f = d.frequencies, m = d.magnitudes_db;
    ctx.strokeStyle = "#4fc3f7"; ctx.lineWidth = 1.5; ctx.beginPath();
    for (let i = 0; i < f.length; i++) {
      const x = xOfFreq(f[i], w), y = yOfDb(m[i], h, -120, 0);
      if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
    }
    ctx.stroke();
    if (d.peak_frequency > 0) {
      const x = xOfFreq(d.peak_frequency, w), y = yOfDb(d.peak_magnitude, h, -120, 0);
      ctx.fillStyle = "#ffca28"; ctx.beginPath(); ctx.arc(x, y, 4, 0, 2 * Math.PI); ctx.fill();
      ctx.fillText(fmt(d.peak_frequency, 1) + " Hz", Math.min(x + 6, w - 70), Math.max(y - 6, 12));
    }
  }

  function drawOctave() {
    const msg = latest.octave_spectrum; if (!msg) { return; }
    const c = document.getElementById("octave"), ctx = c.getContext("2d"), w = c.width, h = c.height, d = msg.data;
    ctx.clearRect(0, 0, w, h); grid(ctx, w, h, -100, 0);
    ctx.fillStyle = "#81c784";
    for (let i = 0; i < d.band_energies_db.length; i++) {
      const x0 = xOfFreq(d.lower_frequencies[i], w) + 1, x1 = xOfFreq(d.upper_frequencies[i], w) - 1;
      const y = yOfDb(d.band_energies_db[i], h, -100, 0);
      ctx.fillRect(x0, y, Math.max(1, x1 - x0), h - y);
    }
  }

  function drawLevels() {
    const msg = latest.levels; if (!msg) { return; }
    const el = document.getElementById("levels"), d = msg.data, now = performance.now();
    const n = d.rms_levels_db.length;
    if (el.children.length !== n) {
      el.innerHTML = "";
      for (let i = 0; i < n; i++) {
        const m = document.createElement("div"); m.className = "meter";
        m.innerHTML = '<div class="label"><span class="name"></span><span class="value"></span></div>' +
          '<div class="bar"><div class="rms"></div><div class="peak"></div><div class="hold"></div></div>';
        el.appendChild(m);
      }
    }
    const pct = function (db) { return Math.min(Math.max((db + 90) / 90, 0), 1) * 100 + "%"; };
    for (let i = 0; i < n; i++) {
      const m = el.children[i];
      const hold = holds[i] ? currentHold(holds[i], now) : d.peak_hold_levels_db[i];
      m.querySelector(".name").textContent = (d.channel_labels[i] || "ch" + (i + 1));
      m.querySelector(".value").textContent = "peak " + fmt(d.peak_levels_db[i], 1) + "  rms " + fmt(d.rms_levels_db[i], 1) + "  hold " + fmt(hold, 1) + " dBFS";
      m.querySelector(".rms").style.width = pct(d.rms_levels_db[i]);
      m.querySelector(".peak").style.left = pct(d.peak_levels_db[i]);
      m.querySelector(".hold").style.left = pct(Math.max(hold, d.peak_hold_levels_db[i]));
    }
  }

  function drawTuner() {
    const msg = latest.pitch_tracker; if (!msg) { return; }
    const d = msg.data;
    document.getElementById("tuner-note").textContent = d.note_name || "–";
    document.getElementById("tuner-freq").textContent = d.frequency_hz ? fmt(d.frequency_hz, 2) + " Hz (confidence " + fmt(d.confidence * 100, 0) + " %)" : "no pitch";
    const cents = d.cents_offset === null || d.cents_offset === undefined ? null : d.cents_offset;
    document.getElementById("tuner-cents").textContent = cents === null ? "" : (cents >= 0 ? "+" : "") + fmt(cents, 1) + " cents";
    document.getElementById("tuner-needle").style.left = (cents === null ? 50 : 50 + Math.max(-50, Math.min(50, cents))) + "%";
  }

  function drawSpectrogram() {
    if (spectrogramColumns.length === 0) { return; }
    const c = document.getElementById("spectrogram"), ctx = c.getContext("2d"), w = c.width, h = c.height;
    const step = 2;
    const columns = spectrogramColumns.splice(0, spectrogramColumns.length);
    const shift = Math.min(w, columns.length * step);
    ctx.drawImage(c, shift, 0, w - shift, h, 0, 0, w - shift, h);
    for (let k = 0; k < columns.length; k++) {
      const d = columns[k], m = d.magnitudes_db, x = w - shift + k * step;
      const image = ctx.createImageData(step, h);
      for (let y = 0; y < h; y++) {
        const i = Math.min(m.length - 1, Math.floor((h - 1 - y) / h * m.length));
        const v = Math.min(Math.max((m[i] + 120) / 120, 0), 1);
        const [r, g, b] = color(v);
        for (let s = 0; s < step; s++) {
          const o = (y * step + s) * 4;
          image.data[o] = r; image.data[o + 1] = g; image.data[o + 2] = b; image.data[o + 3] = 255;
        }
      }
      ctx.putImageData(image, x, 0);
    }
  }

  function color(v) {
    // Dark blue -> purple -> orange -> yellow, like Friture's default colour map.
    const r = Math.round(255 * Math.min(1, Math.max(0, 1.8 * v - 0.3)));
    const g = Math.round(255 * Math.min(1, Math.max(0, 2.2 * v - 1.2)));
    const b = Math.round(255 * Math.min(1, Math.max(0, v < 0.5 ? 0.3 + 1.2 * v : 1.5 - 1.6 * v)));
    return [r, g, b];
  }

  function drawScope() {
    const msg = latest.scope; if (!msg) { return; }
    const c = document.getElementById("scope"), ctx = c.getContext("2d"), w = c.width, h = c.height, d = msg.data;
    ctx.clearRect(0, 0, w, h);
    ctx.strokeStyle = "#262c35"; ctx.beginPath(); ctx.moveTo(0, h / 2 + 0.5); ctx.lineTo(w, h / 2 + 0.5); ctx.stroke();
    const t = d.times, colours = ["#4fc3f7", "#ffb74d", "#81c784", "#e57373"];
    if (!t || t.length < 2) { return; }
    const t0 = t[0], span = (t[t.length - 1] - t0) || 1;
    for (let ch = 0; ch < d.samples.length; ch++) {
      const s = d.samples[ch];
      ctx.strokeStyle = colours[ch % colours.length]; ctx.lineWidth = 1.2; ctx.beginPath();
      for (let i = 0; i < s.length; i++) {
        const x = (t[i] - t0) / span * w, y = h / 2 - s[i] * (h / 2 - 4);
        if (i === 0) { ctx.moveTo(x, y); } else { ctx.lineTo(x, y); }
      }
      ctx.stroke();
    }
  }

  function drawDelay() {
    const msg = latest.delay_estimator; if (!msg) { return; }
    const d = msg.data;
    document.getElementById("delay-ms").textContent = fmt(d.delay_ms, 2) + " ms";
    document.getElementById("delay-detail").textContent = fmt(d.distance_m, 2) + " m, confidence " + fmt(d.confidence * 100, 0) + " %, polarity " + d.polarity;
  }

  function frame() {
    const draws = { fft_spectrum: drawSpectrum, octave_spectrum: drawOctave, levels: drawLevels, pitch_tracker: drawTuner, scope: drawScope, delay_estimator: drawDelay };
    for (const type in draws) { if (dirty[type]) { dirty[type] = false; draws[type](); } }
    if (latest.levels) { drawLevels(); }
    drawSpectrogram();
    requestAnimationFrame(frame);
  }

  // ---- transport -----------------------------------------------------------------------------------------------
  function url(path, scheme) {
    const u = new URL(path, window.location.href);
    if (scheme) { u.protocol = scheme; }
    const token = new URLSearchParams(window.location.search).get("access_token");
    if (token) { u.searchParams.set("access_token", token); }
    return u.toString();
  }

  function connectWebSocket() {
    if (!wsPath || !("WebSocket" in window)) { connectSse(); return; }
    setStatus("connecting", "websocket", "connecting (WebSocket)…");
    let opened = false;
    const ws = new WebSocket(url(wsPath, window.location.protocol === "https:" ? "wss:" : "ws:"));
    ws.onopen = function () { opened = true; retryMs = 500; setStatus("connected", "websocket", "connected (WebSocket)"); };
    ws.onmessage = function (e) { if (typeof e.data === "string") { handleText(e.data); } };
    ws.onclose = function () {
      if (!opened && ssePath) { connectSse(); return; }
      setStatus("disconnected", "websocket", "disconnected, retrying…");
      setTimeout(connectWebSocket, retryMs); retryMs = Math.min(retryMs * 2, 5000);
    };
  }

  function connectSse() {
    if (!ssePath || !("EventSource" in window)) { setStatus("disconnected", "", "no stream endpoint"); return; }
    setStatus("connecting", "sse", "connecting (SSE)…");
    const es = new EventSource(url(ssePath));
    es.onopen = function () { setStatus("connected", "sse", "connected (SSE)"); };
    es.onmessage = function (e) { handleText(e.data); };
    es.onerror = function () { setStatus("connecting", "sse", "reconnecting (SSE)…"); };
  }

  const forced = new URLSearchParams(window.location.search).get("transport");
  if (forced === "sse") { connectSse(); } else { connectWebSocket(); }
  requestAnimationFrame(frame);
})();
