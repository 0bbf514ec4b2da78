/** The console's stylesheet: plain, high-contrast, readable on a laptop screen; red/amber/green carry meaning, never alone. */
export const consoleCss = `
:root { --ink:#1b1f24; --muted:#5b6570; --line:#d8dde3; --bg:#f6f7f9; --card:#fff; --brand:#1f4e79;
  --ok:#1e7b34; --ok-bg:#e6f4ea; --warn:#8a5a00; --warn-bg:#fff4d6; --bad:#a4161a; --bad-bg:#fde8e8; }
* { box-sizing: border-box; }
body { margin:0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink); background:var(--bg); }
a { color: var(--brand); }
.loading { padding: 2rem; color: var(--muted); }
.layout { display:grid; grid-template-columns: 200px minmax(0, 1fr); min-height:100vh; }
nav.side { background:#14283d; color:#fff; padding: 1rem 0; }
nav.side .brand { font-weight:700; font-size:1.1rem; padding: 0 1rem 1rem; }
nav.side a { display:flex; justify-content:space-between; color:#dbe6f1; text-decoration:none; padding:.45rem 1rem; }
nav.side a.active, nav.side a:hover { background:#23415f; color:#fff; }
nav.side .count { background:#a4161a; color:#fff; border-radius:9px; padding:0 .45rem; font-size:.8rem; }
nav.side .who { overflow-wrap:anywhere; padding:1rem; font-size:.8rem; color:#aebfd0; border-top:1px solid #23415f; margin-top:1rem; }
nav.side button { margin-top:.5rem; }
main { padding: 1.25rem 1.5rem; max-width: 1400px; min-width: 0; }
h1 { font-size:1.35rem; margin: 0 0 1rem; }
h2 { font-size:1.05rem; margin: 1.5rem 0 .5rem; }
.cards { display:grid; grid-template-columns: repeat(auto-fill, minmax(160px,1fr)); gap:.75rem; margin-bottom:1rem; }
.card { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.75rem .9rem; }
.card .label { color:var(--muted); font-size:.8rem; }
.card .value { font-size:1.5rem; font-weight:600; }
.card.bad { border-color: var(--bad); background: var(--bad-bg); }
.card.warn { border-color: #d9a400; background: var(--warn-bg); }
.panel { background:var(--card); border:1px solid var(--line); border-radius:8px; padding:.9rem; margin-bottom:1rem; }
.charts { display:grid; grid-template-columns: repeat(auto-fit, minmax(min(420px, 100%), 1fr)); gap:1rem; }
table { width:100%; border-collapse: collapse; background:var(--card); }
.table-wrap { overflow-x:auto; }
th, td { overflow-wrap:break-word; text-align:left; padding:.4rem .55rem; border-bottom:1px solid var(--line); vertical-align: top; }
th { font-size:.8rem; color:var(--muted); font-weight:600; background:#fafbfc; position: sticky; top: 0; }
tr.breach td, tr.bad td { background: var(--bad-bg); }
tr.warn td { background: var(--warn-bg); }
td.num, th.num { text-align:right; font-variant-numeric: tabular-nums; }
.badge { white-space:nowrap; display:inline-block; border-radius:4px; padding:0 .4rem; font-size:.8rem; font-weight:600; border:1px solid transparent; }
.badge.ok { color:var(--ok); background:var(--ok-bg); border-color:#b7dfc2; }
.badge.warn { color:var(--warn); background:var(--warn-bg); border-color:#f0d48a; }
.badge.bad { color:var(--bad); background:var(--bad-bg); border-color:#f3b4b4; }
.badge.neutral { color:var(--muted); background:#eef1f4; }
form.inline, .toolbar { display:flex; flex-wrap:wrap; gap:.5rem; align-items:end; margin-bottom: .75rem; }
label { display:flex; flex-direction:column; font-size:.8rem; color:var(--muted); gap:.2rem; }
input, select, textarea { font: inherit; padding:.35rem .5rem; border:1px solid #b9c1ca; border-radius:5px; background:#fff; color:var(--ink); }
textarea { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12.5px; width:100%; min-height: 16rem; }
button { white-space:nowrap; font: inherit; padding:.38rem .8rem; border-radius:5px; border:1px solid var(--brand); background:var(--brand); color:#fff; cursor:pointer; }
button.secondary { background:#fff; color:var(--brand); }
button:disabled { opacity:.5; cursor: default; }
pre { white-space: pre-wrap; overflow-wrap:anywhere; background:#f3f5f7; border:1px solid var(--line); border-radius:5px; padding:.6rem; overflow:auto; max-height: 24rem; font-size:12.5px; }
.muted { color: var(--muted); }
.error { color: var(--bad); background: var(--bad-bg); border:1px solid #f3b4b4; padding:.5rem .75rem; border-radius:5px; margin: .5rem 0; }
.notice { color: var(--ok); background: var(--ok-bg); border:1px solid #b7dfc2; padding:.5rem .75rem; border-radius:5px; margin: .5rem 0; }
.signin { max-width: 420px; margin: 10vh auto; background: var(--card); border:1px solid var(--line); border-radius:10px; padding: 1.5rem; }
.signin h1 { margin-bottom: .25rem; }
.signin form { display:flex; flex-direction:column; gap:.75rem; margin-top:1rem; }
.tabs { display:flex; gap:.25rem; margin: .5rem 0; }
.tabs button { background:#fff; color:var(--brand); }
.tabs button.active { background: var(--brand); color:#fff; }
.advice { border-color:#f0d48a; background: var(--warn-bg); }
.grid2 { display:grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 1rem; }
.live { font-size:.75rem; color:#aebfd0; padding: 0 1rem; }
@media (max-width: 900px) { .layout { grid-template-columns: 1fr; } nav.side { display:flex; flex-wrap:wrap; } .grid2 { grid-template-columns: 1fr; } }
`;
