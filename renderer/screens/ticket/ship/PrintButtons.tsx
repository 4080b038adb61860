// The label and the packing slip, as the engine renders them (PDF bytes through the contract):
// open one in the browser's own PDF viewer, or download it. The page keeps no copy.
import { engine } from '../../../app/engine.ts';
import { useAction } from '../../../app/use-engine.ts';
import { ErrorNotice } from '../../../components/Notice.tsx';

type Kind = 'label' | 'packing-slip';

async function pdfOf(ticketId: string, kind: Kind): Promise<{ url: string; fileName: string }> {
  const r = await engine.call('tickets.print', { ticketId, kind });
  const bin = atob(r.base64);
  const buf = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) buf[i] = bin.charCodeAt(i);
  return { url: URL.createObjectURL(new Blob([buf], { type: 'application/pdf' })), fileName: r.fileName };
}

export function PrintButtons({ ticketId }: { ticketId: string }) {
  const open = useAction(async (kind: Kind) => {
    // The window opens first, inside the click, so no pop-up blocker stops it; the PDF follows.
    const w = window.open('', '_blank');
    const { url } = await pdfOf(ticketId, kind);
    if (w) w.location.href = url;
    else window.location.assign(url);
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  const download = useAction(async (kind: Kind) => {
    const { url, fileName } = await pdfOf(ticketId, kind);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  });
  return (
    <>
      <ErrorNotice error={open.error ?? download.error} title="The PDF could not be made" />
      <div className="row" style={{ marginTop: '0.9rem' }}>
        <button type="button" onClick={() => void open.run('label')} disabled={open.busy}>
          Open the label
        </button>
        <button type="button" onClick={() => void download.run('label')} disabled={download.busy}>
          Download the label (PDF)
        </button>
        <button type="button" onClick={() => void open.run('packing-slip')} disabled={open.busy}>
          Open the packing slip
        </button>
        <button type="button" onClick={() => void download.run('packing-slip')} disabled={download.busy}>
          Download the packing slip (PDF)
        </button>
      </div>
    </>
  );
}
