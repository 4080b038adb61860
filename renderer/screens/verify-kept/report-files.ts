// The kept-unit report the engine wrote (reports.kept), opened in a new tab or saved, from bytes
// the page holds only as long as the tab needs them.
import { engine } from '../../app/engine.ts';
import { downloadEngineFile, openEngineFile } from '../../app/engine-files.ts';

/** Opens the report in a new tab. */
export function openReport(jobId: string, format: 'html' | 'pdf'): Promise<void> {
  return openEngineFile(() => engine.call('reports.kept', { jobId, format }));
}

export function downloadReport(jobId: string, format: 'html' | 'pdf'): Promise<void> {
  return downloadEngineFile(() => engine.call('reports.kept', { jobId, format }));
}
