// The label and the packing slip, as the engine renders them (PDF bytes through the contract):
// open one in the browser's own PDF viewer, or download it. The page keeps no copy.
import { engine } from '../../../app/engine.ts';
import { downloadEngineFile, openEngineFile } from '../../../app/engine-files.ts';
import { useAction } from '../../../app/use-engine.ts';
import { ErrorNotice } from '../../../components/Notice.tsx';

type Kind = 'label' | 'packing-slip';

const printed = (ticketId: string, kind: Kind) => () => engine.call('tickets.print', { ticketId, kind });

export function PrintButtons({ ticketId }: { ticketId: string }) {
  const open = useAction((kind: Kind) => openEngineFile(printed(ticketId, kind)));
  const download = useAction((kind: Kind) => downloadEngineFile(printed(ticketId, kind)));
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
