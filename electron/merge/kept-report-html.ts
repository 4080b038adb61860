// The kept-unit report as one self-contained HTML file (one inline style sheet, no scripts, no
// external resources), so a partner can open, print or archive it anywhere. Its look is one
// constant style sheet and classes, no style attributes: the bench page opens the report in a tab
// under its own Content-Security-Policy, which allows exactly this sheet by its hash
// (hosts/renderer-files.ts) and no other inline style.
import { STATUS_WORD, type KeptReport } from './kept-types.ts';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** The report's whole style sheet; the page's CSP names its SHA-256, so it must not vary per report. */
export const KEPT_REPORT_CSS = `
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2em;color:#1d1d1d;max-width:60em}
h1{font-size:1.4em}table{border-collapse:collapse;width:100%}
td{border-top:1px solid #ccc;padding:.6em;vertical-align:top}td.st{font-weight:bold;white-space:nowrap;width:9em}
code{font-size:.85em;word-break:break-all}ul{margin:.4em 0 0 1.2em;padding:0}.verdict{font-size:1.2em;font-weight:bold}
.passed{color:#1b7a34}.failed{color:#b3261e}.not-available,.skipped{color:#6b6b6b}
`;

export function keptReportHtml(r: KeptReport): string {
  const e = escapeHtml;
  const rows = r.checks
    .map(
      (c) => `<tr>
  <td class="st ${c.status}">${e(STATUS_WORD[c.status])}</td>
  <td><b>${e(c.title)}</b><br>${e(c.summary)}
    <ul>${c.evidence.map((x) => `<li><code>${e(x)}</code></li>`).join('')}</ul></td>
</tr>`,
    )
    .join('\n');
  const systems = r.unit.systems.map((s) => `<li>${e(s.system)}: ${s.points} point(s), ${e(s.first ?? '-')} … ${e(s.last ?? '-')}</li>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Kept unit verification — ticket ${e(r.unit.ticketId)}</title>
<style>${KEPT_REPORT_CSS}</style></head><body>
<h1>Kept unit verification report</h1>
<p class="verdict ${r.ok ? 'passed' : 'failed'}">${r.ok ? 'Every check passed.' : `Failed: ${e(r.checks.filter((c) => c.status === 'failed').map((c) => c.title).join('; '))}`}</p>
<p>Ticket ${e(r.unit.ticketId)} · unit ${e(r.unit.unitId)} · appliance ${e(r.unit.applianceSerial ?? '-')} · ${e(r.unit.direction)} ·
pool ${e(r.unit.pool)} on ${e(r.unit.devices.join(', '))} · synced ${e(r.unit.syncedAt)}</p>
<ul>${systems}</ul>
<table>
${rows}
</table>
<p><small>Generated ${e(r.generatedAt)} by ${e(r.tool.name)} ${e(r.tool.version)}.</small></p>
</body></html>
`;
}
