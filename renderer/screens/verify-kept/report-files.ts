// The kept-unit report the engine wrote (reports.kept), opened in a new tab or saved, from bytes
// the page holds only as long as the tab needs them.
import { engine } from '../../app/engine.ts';

async function reportUrl(jobId: string, format: 'html' | 'pdf'): Promise<{ url: string; fileName: string }> {
  const r = await engine.call('reports.kept', { jobId, format });
  const bin = atob(r.base64);
  const buf = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
  return { url: URL.createObjectURL(new Blob([buf], { type: r.mediaType })), fileName: r.fileName };
}

/** Opens the report in a new tab. The tab opens inside the click, so no pop-up blocker stops it. */
export async function openReport(jobId: string, format: 'html' | 'pdf'): Promise<void> {
  const w = window.open('', '_blank');
  const { url } = await reportUrl(jobId, format);
  if (w) w.location.href = url;
  else window.location.assign(url);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function downloadReport(jobId: string, format: 'html' | 'pdf'): Promise<void> {
  const { url, fileName } = await reportUrl(jobId, format);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
