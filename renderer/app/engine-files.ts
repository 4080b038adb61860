// Files the engine hands the page as bytes (a label, a packing slip, a kept-unit report: base64
// in a contract answer): opened in a new tab or saved, as blob URLs the page drops after a minute.

export interface EngineFile {
  fileName: string;
  mediaType: string;
  base64: string;
}

function blobUrl(f: EngineFile): string {
  const bin = atob(f.base64);
  const buf = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
  return URL.createObjectURL(new Blob([buf], { type: f.mediaType }));
}

const forget = (url: string) => setTimeout(() => URL.revokeObjectURL(url), 60_000);

/**
 * Opens the file in a new tab. The tab opens first, inside the click, so no pop-up blocker stops it.
 * The desktop app opens no windows and navigates nowhere but its own pages (electron/shell/web-policy.ts),
 * so there the file is saved instead.
 */
export async function openEngineFile(fetch: () => Promise<EngineFile>): Promise<void> {
  if (typeof window !== 'undefined' && window.roundtrip) return downloadEngineFile(fetch);
  const w = window.open('', '_blank');
  const url = blobUrl(await fetch());
  if (w) w.location.href = url;
  else window.location.assign(url);
  forget(url);
}

export async function downloadEngineFile(fetch: () => Promise<EngineFile>): Promise<void> {
  const f = await fetch();
  const url = blobUrl(f);
  const a = document.createElement('a');
  a.href = url;
  a.download = f.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  forget(url);
}
