import { createHash } from 'node:crypto'

// The page is one string with inline CSS and JS: many deployments reach no CDN, and there is no
// build step. Everything it shows is set through textContent or drawn on a canvas, never parsed as
// HTML, because recent events carry attacker-influenced paths and messages.

const STYLE = `
:root{color-scheme:light dark;--fg:#1d2330;--bg:#f6f7f9;--card:#fff;--muted:#667085;--line:#d0d5dd}
@media (prefers-color-scheme:dark){:root{--fg:#e6e8ec;--bg:#11151c;--card:#1a1f29;--muted:#98a2b3;--line:#344054}}
*{box-sizing:border-box}body{margin:0;font:14px/1.4 system-ui,sans-serif;color:var(--fg);background:var(--bg)}
header{display:flex;gap:16px;align-items:baseline;padding:12px 20px;border-bottom:1px solid var(--line)}
h1{font-size:18px;margin:0}h2{font-size:15px;margin:0 0 8px}#status{color:var(--muted)}
main{display:grid;grid-template-columns:2fr 1fr;gap:16px;padding:16px 20px}
section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px;min-width:0}
#chart-card{grid-column:1/3}#recent-card{grid-column:1/3}canvas{width:100%;height:260px;display:block}
table{width:100%;border-collapse:collapse;font-size:13px}th,td{text-align:left;padding:4px 6px;border-bottom:1px solid var(--line);vertical-align:top}
td{overflow-wrap:anywhere}th{color:var(--muted);font-weight:600}.num{text-align:right;font-variant-numeric:tabular-nums}
#legend{display:flex;flex-wrap:wrap;gap:10px;margin-top:6px;font-size:12px}#legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
.s5{color:#d92d20;font-weight:600}.s4{color:#b54708}
#view{font-weight:600}#view.fleet{color:#2e90fa}
#notice{margin:12px 20px 0;padding:8px 12px;border:1px solid #f79009;border-radius:8px;background:rgba(247,144,9,.12)}#notice[hidden]{display:none}
`

const SCRIPT = `
'use strict'
const COLORS = ['#2e90fa','#f04438','#12b76a','#f79009','#7a5af8','#ee46bc','#06aed4','#66c61c','#98a2b3']
const $ = (id) => document.getElementById(id)
let refreshes = 0
function cell (tr, text, cls) { const td = document.createElement('td'); td.textContent = text == null ? '' : String(text); if (cls) td.className = cls; tr.appendChild(td); return td }
function statusClass (s) { return s >= 500 ? 's5' : s >= 400 ? 's4' : '' }
function fill (tbody, rows, build) { const f = document.createDocumentFragment(); for (const r of rows) { const tr = document.createElement('tr'); build(tr, r); f.appendChild(tr) } tbody.replaceChildren(f) }
async function get (path) { const r = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' }); if (!r.ok) throw new Error(path + ': HTTP ' + r.status); return r.json() }
function draw (summary) {
  const canvas = $('chart'); const ratio = window.devicePixelRatio || 1
  const w = canvas.clientWidth || 600; const h = canvas.clientHeight || 260
  canvas.width = Math.round(w * ratio); canvas.height = Math.round(h * ratio)
  const ctx = canvas.getContext('2d'); ctx.scale(ratio, ratio); ctx.clearRect(0, 0, w, h)
  const buckets = summary.buckets || []
  const totals = new Map()
  for (const b of buckets) for (const [name, n] of Object.entries(b.counts)) totals.set(name, (totals.get(name) || 0) + n)
  const names = [...totals.keys()].sort((a, b) => totals.get(b) - totals.get(a))
  const shown = names.slice(0, COLORS.length - 1)
  const colorOf = (name) => { const i = shown.indexOf(name); return COLORS[i === -1 ? COLORS.length - 1 : i] }
  const max = Math.max(1, ...buckets.map(b => b.total))
  const left = 36; const bottom = 18; const plotH = h - bottom - 6; const plotW = w - left - 4
  const fg = getComputedStyle(document.body).color
  ctx.strokeStyle = fg; ctx.globalAlpha = 0.3; ctx.beginPath(); ctx.moveTo(left, 6); ctx.lineTo(left, 6 + plotH); ctx.lineTo(left + plotW, 6 + plotH); ctx.stroke(); ctx.globalAlpha = 1
  ctx.fillStyle = fg; ctx.font = '11px system-ui,sans-serif'; ctx.textAlign = 'right'
  ctx.fillText(String(max), left - 4, 14); ctx.fillText('0', left - 4, 6 + plotH)
  const bw = buckets.length ? plotW / buckets.length : plotW
  let drawn = 0
  buckets.forEach((b, i) => {
    let y = 6 + plotH
    for (const name of names) {
      const n = b.counts[name]; if (!n) continue
      const bh = Math.max(1, n / max * plotH)
      ctx.fillStyle = colorOf(name); ctx.fillRect(left + i * bw + 1, y - bh, Math.max(1, bw - 2), bh); y -= bh; drawn++
    }
  })
  if (buckets.length) {
    ctx.fillStyle = fg; ctx.textAlign = 'left'; ctx.fillText(new Date(buckets[0].start).toLocaleTimeString(), left, h - 4)
    ctx.textAlign = 'right'; ctx.fillText(new Date(buckets[buckets.length - 1].start).toLocaleTimeString(), left + plotW, h - 4)
  }
  canvas.dataset.bars = String(drawn)
  const legend = $('legend'); const f = document.createDocumentFragment()
  for (const name of names.slice(0, COLORS.length)) {
    const span = document.createElement('span'); const dot = document.createElement('i')
    dot.style.background = colorOf(name); span.appendChild(dot); span.appendChild(document.createTextNode(name + ' (' + totals.get(name) + ')')); f.appendChild(span)
  }
  legend.replaceChildren(f)
}
async function refresh () {
  try {
    const [summary, top, recent] = await Promise.all([get('summary'), get('top-errors?limit=10'), get('recent?limit=50')])
    draw(summary)
    $('total').textContent = String(summary.total_errors)
    // The fleet's totals cover the chart's window; this instance's count since it started.
    const w = summary.totals_window_seconds
    $('total-window').textContent = w === null ? 'recorded since start' : 'in the last ' + (w % 3600 === 0 ? (w / 3600) + ' h' : w % 60 === 0 ? (w / 60) + ' min' : w + ' s')
    fill($('top'), top.errors, (tr, r) => { cell(tr, r.error_code); cell(tr, r.error_name); cell(tr, r.domain); cell(tr, r.count, 'num'); cell(tr, r.last_seen ? new Date(r.last_seen).toLocaleTimeString() : '') })
    fill($('recent'), recent.events, (tr, e) => {
      cell(tr, new Date(e.timestamp).toLocaleTimeString()); cell(tr, e.status_code, statusClass(e.status_code)); cell(tr, e.error_code); cell(tr, e.error_name)
      cell(tr, e.method); cell(tr, e.route || e.path); cell(tr, e.message); cell(tr, e.request_id)
    })
    refreshes++
    document.body.dataset.refreshes = String(refreshes)
    const view = summary.view || { source: 'instance', label: 'this instance', notice: null, read_at: summary.timestamp }
    $('view').textContent = view.label
    $('view').className = view.source
    document.body.dataset.view = view.source
    $('notice').textContent = view.notice || ''
    $('notice').hidden = !view.notice
    $('about').textContent = view.source === 'fleet'
      ? 'Counts of every instance over the window of the chart, summed by Prometheus from errcodes_errors_total. Recent errors are those of the instance that served this page.'
      : 'In-memory view of this process since it started; the source of truth across instances is Prometheus (errcodes_errors_total).'
    $('status').textContent = 'data read ' + new Date(view.read_at).toLocaleTimeString() + ' · every ' + REFRESH_SECONDS + ' s'
  } catch (err) {
    $('status').textContent = 'refresh failed: ' + (err && err.message ? err.message : String(err))
  }
}
refresh()
setInterval(refresh, REFRESH_SECONDS * 1000)
`

const BODY = `<header><h1>Errors</h1><span id="view">…</span><span><b id="total">–</b> <span id="total-window">recorded</span></span><span id="status">loading…</span></header>
<div id="notice" role="status" hidden></div>
<main>
<section id="chart-card"><h2>Errors over time by code</h2><canvas id="chart" role="img" aria-label="Errors over time by code"></canvas><div id="legend"></div></section>
<section id="top-card"><h2>Top codes</h2><table><thead><tr><th>Code</th><th>Name</th><th>Domain</th><th class="num">Count</th><th>Last</th></tr></thead><tbody id="top"></tbody></table></section>
<section id="about-card"><h2>About</h2><p id="about">In-memory view of this process since it started.</p></section>
<section id="recent-card"><h2>Recent errors · this instance</h2><table><thead><tr><th>Time</th><th>Status</th><th>Code</th><th>Name</th><th>Method</th><th>Route / path</th><th>Message (masked)</th><th>Request</th></tr></thead><tbody id="recent"></tbody></table></section>
</main>`

/** The dashboard page. Its CSP allows only its own inline script and style (by hash) and same-origin fetches. */
export function dashboardHtml (options: { bucketSeconds: number, refreshSeconds?: number }): string {
  const refresh = options.refreshSeconds ?? Math.min(Math.max(Math.round(options.bucketSeconds / 12), 2), 30)
  const script = `const REFRESH_SECONDS = ${refresh}\n${SCRIPT}`
  const csp = `default-src 'none'; script-src '${sha256(script)}'; style-src '${sha256(STYLE)}'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'`
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer"><meta name="robots" content="noindex"><link rel="icon" href="data:,">
<title>Errors · errcodes</title><style>${STYLE}</style></head>
<body>${BODY}<script>${script}</script></body></html>
`
}

function sha256 (text: string): string {
  return 'sha256-' + createHash('sha256').update(text, 'utf8').digest('base64')
}
