/**
 * The console's two static files, kept as strings so `tsc` output is self-contained.
 * The script is external (CSP `script-src 'self'`): it polls the status endpoint and reloads the
 * server-rendered page when progress changes, so all markup stays server-side and escaped.
 */
export const CONSOLE_CSS = `
:root {
  --bg: #f4f6f9; --card: #ffffff; --text: #1c2430; --muted: #5f6b7a; --line: #dde3ea;
  --brand: #1f5fa8; --brand-dark: #174a84; --ok: #1d7a46; --ok-bg: #e7f5ec; --warn: #8a5a00; --warn-bg: #fff4db;
  --error: #b3261e; --error-bg: #fdecea; --info: #1f5fa8; --info-bg: #e8f0fb;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
}
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--text); line-height: 1.5; font-size: 15px; }
a { color: var(--brand); }
.topbar { display: flex; align-items: center; justify-content: space-between; padding: 14px 32px;
  background: #10243e; color: #fff; }
.topbar a { color: #dce7f5; text-decoration: none; margin-left: 20px; }
.topbar a:hover { color: #fff; }
.topbar nav { display: flex; align-items: center; }
.topbar nav form { display: inline; margin-left: 20px; }
.nav-button { border: 1px solid #5b7498; background: none; color: #dce7f5; border-radius: 6px; padding: 4px 12px; font: inherit; cursor: pointer; }
.nav-button:hover { color: #fff; border-color: #dce7f5; }
.link-box { display: block; width: 100%; font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; padding: 10px; border: 1px solid #b9c4d0;
  border-radius: 6px; background: #f7f9fb; overflow-wrap: anywhere; user-select: all; }
.topbar .brand { margin-left: 0; font-weight: 600; font-size: 17px; color: #fff; display: flex; align-items: center; gap: 10px; }
.brand-mark { display: inline-grid; place-items: center; width: 30px; height: 30px; border-radius: 7px;
  background: #3b82d6; font-size: 13px; letter-spacing: .5px; }
main { max-width: 880px; margin: 28px auto; padding: 0 20px; }
.footer { text-align: center; color: var(--muted); font-size: 13px; padding: 24px 0 36px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 28px 32px;
  margin-bottom: 20px; box-shadow: 0 1px 2px rgba(16, 36, 62, .05); }
h1 { font-size: 24px; margin: 0 0 8px; }
h2 { font-size: 17px; margin: 28px 0 10px; }
.card > h2:first-child { margin-top: 0; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 12px; color: var(--muted); margin: 0 0 4px; font-weight: 600; }
.lead { color: #3a4553; margin: 0 0 18px; }
.muted { color: var(--muted); font-weight: normal; font-size: 13px; }
.stepper { list-style: none; display: grid; grid-template-columns: repeat(4, 1fr); gap: 8px; padding: 0; margin: 0 0 20px; }
.step { display: flex; gap: 10px; align-items: flex-start; background: var(--card); border: 1px solid var(--line);
  border-radius: 8px; padding: 10px 12px; }
.step-number { flex: none; width: 26px; height: 26px; border-radius: 50%; display: grid; place-items: center;
  background: #e6ebf1; color: var(--muted); font-weight: 600; font-size: 13px; }
.step-text { display: flex; flex-direction: column; min-width: 0; }
.step-title { font-size: 13px; font-weight: 600; }
.step-state { font-size: 12px; color: var(--muted); }
.step-current { border-color: var(--brand); box-shadow: 0 0 0 1px var(--brand) inset; }
.step-current .step-number, .step-running .step-number, .step-waiting .step-number { background: var(--brand); color: #fff; }
.step-done .step-number { background: var(--ok); color: #fff; }
.step-failed .step-number { background: var(--error); color: #fff; }
.button { display: inline-block; border: 1px solid #b9c4d0; background: #fff; color: var(--text); border-radius: 7px;
  padding: 9px 18px; font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; }
.button:hover { background: #f0f3f7; }
.button.primary { background: var(--brand); border-color: var(--brand); color: #fff; }
.button.primary:hover { background: var(--brand-dark); }
.link-button { border: 0; background: none; padding: 0; font: inherit; font-size: 13px; color: var(--muted); text-decoration: underline; cursor: pointer; }
.start-over { display: block; margin-top: 18px; }
.stack-form { display: flex; flex-direction: column; align-items: flex-start; gap: 14px; margin: 8px 0 18px; }
.inline-form { display: inline; }
.actions { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 12px; margin-top: 22px; }
.actions .stack-form { margin: 0; }
.field { display: flex; flex-direction: column; gap: 4px; min-width: 320px; }
.field input { font: inherit; padding: 8px 10px; border: 1px solid #b9c4d0; border-radius: 6px; }
.field input:focus { outline: 2px solid #9cc0ec; border-color: var(--brand); }
.label { font-weight: 600; font-size: 13px; }
.hint { color: var(--muted); font-size: 12px; }
.field-static { margin: 0; }
.facts { color: var(--muted); font-size: 13px; padding-left: 18px; margin: 0; }
.notice { border-radius: 8px; padding: 10px 14px; margin: 14px 0; border: 1px solid transparent; }
.notice p { margin: 4px 0; }
.notice-ok { background: var(--ok-bg); border-color: #b9e2c8; color: #124d2c; }
.notice-warn { background: var(--warn-bg); border-color: #f1d68f; color: #5c3d00; }
.notice-error { background: var(--error-bg); border-color: #f3b8b3; color: #7d1a14; }
.notice-info { background: var(--info-bg); border-color: #bcd3f1; color: #17457a; }
.remedy { font-size: 14px; }
.checks { list-style: none; padding: 0; margin: 0; border: 1px solid var(--line); border-radius: 8px; }
.check { display: flex; gap: 12px; padding: 12px 14px; border-top: 1px solid var(--line); }
.check:first-child { border-top: 0; }
.check p { margin: 0; }
.check-icon { flex: none; width: 22px; height: 22px; border-radius: 50%; display: grid; place-items: center; font-size: 12px; color: #fff; }
.check-ok .check-icon { background: var(--ok); }
.check-failed .check-icon { background: var(--error); }
.check-failed { background: #fffafa; }
.check-title { font-weight: 600; text-transform: capitalize; }
.check-detail { color: #3a4553; font-size: 14px; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; padding: 1px 8px; border-radius: 999px; text-transform: none; }
.badge-ok { background: var(--ok-bg); color: var(--ok); }
.badge-warn { background: var(--warn-bg); color: var(--warn); }
.badge-error { background: var(--error-bg); color: var(--error); }
.badge-info { background: var(--info-bg); color: var(--info); }
.events { list-style: none; padding: 0; margin: 0; font-size: 14px; }
.event { display: grid; grid-template-columns: 155px 56px 1fr; gap: 10px; padding: 6px 0; border-bottom: 1px solid #eef1f5; }
.events .event:not(:has(.event-step)) { grid-template-columns: 155px 1fr; }
.event time { color: var(--muted); font-variant-numeric: tabular-nums; white-space: nowrap; }
.event-step { color: var(--muted); }
.event-message { overflow-wrap: anywhere; min-width: 0; }
.event-ok .event-message { color: var(--ok); }
.event-warn .event-message { color: var(--warn); }
.event-error .event-message { color: var(--error); }
.working { display: flex; align-items: center; gap: 10px; color: var(--brand); font-weight: 600; }
.spinner { width: 16px; height: 16px; border: 2px solid #c8d7ea; border-top-color: var(--brand); border-radius: 50%;
  animation: spin .8s linear infinite; }
@keyframes spin { to { transform: rotate(360deg); } }
.results, .facts-grid { display: grid; grid-template-columns: 200px 1fr; gap: 8px 16px; margin: 12px 0 20px; }
.results dt, .facts-grid dt { color: var(--muted); font-weight: 600; font-size: 14px; }
.results dd, .facts-grid dd { margin: 0; overflow-wrap: anywhere; }
.table { width: 100%; border-collapse: collapse; font-size: 14px; }
.table th, .table td { text-align: left; padding: 9px 8px; border-bottom: 1px solid var(--line); }
.table th { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .05em; }
.card-head { display: flex; justify-content: space-between; align-items: center; gap: 12px; }
.filter-form { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px; margin: 8px 0 12px; }
.filter-form .field { min-width: 220px; }
.field select { font: inherit; padding: 8px 10px; border: 1px solid #b9c4d0; border-radius: 6px; background: #fff; }
main:has(.card.wide) { max-width: 1320px; }
.table.fleet td { white-space: nowrap; }
.table.fleet td.reason { white-space: normal; min-width: 220px; overflow-wrap: anywhere; }
.pager { display: flex; gap: 14px; align-items: center; justify-content: center; margin-top: 16px; font-size: 14px; }
.pager-off { color: #a0aab6; }
.pager-at { font-weight: 600; }
details summary { cursor: pointer; color: var(--brand); font-weight: 600; margin: 6px 0; }
code { background: #eef2f6; padding: 1px 6px; border-radius: 4px; font-size: 13px; }
@media (max-width: 720px) { .stepper { grid-template-columns: 1fr 1fr; } .results, .facts-grid { grid-template-columns: 1fr; } }
`;

export const CONSOLE_JS = `(function () {
  'use strict';
  var url = document.body.getAttribute('data-status-url');
  if (!url) return;
  var last = document.body.getAttribute('data-status-revision');
  function poll() {
    fetch(url, { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        if (!s) return;
        if (s.next) { window.location.assign(s.next); return; }
        if (s.revision !== last) { window.location.reload(); return; }
        if (!s.error) setTimeout(poll, 500);
      })
      .catch(function () { setTimeout(poll, 2000); });
  }
  poll();
})();
`;
