// What an unseal job wrote: each image with its file (relative to the folder), size and SHA-256
// (shortened, the whole one a click away to compare with the partner's), whether it was written now
// or was already whole there and kept; the manifest's path; and the systems whose drive was not
// attached, with why.
import { bytes, when } from '../../app/format.ts';
import { Badge } from '../../components/Badge.tsx';
import { Notice } from '../../components/Notice.tsx';

/** The engine's UnsealResult (electron/jobs/sealed/unseal.ts), as the job's result carries it. */
export interface UnsealResultView {
  to: string;
  ticketId: string;
  imageFormat: string | null;
  images: Array<{ system: string; point: string; volume: string; file: string; format: string; bytes: number; sha256: string; kept: boolean }>;
  absent: Record<string, string>;
  manifestFile: string;
  bytes: number;
}

/** A point's name is its time in seconds; anything else is shown as it is. */
const pointWords = (point: string) => (/^\d+$/.test(point) ? when(Number(point)) : point);

function Sha256({ value }: { value: string }) {
  return (
    <details className="sha256">
      <summary>
        <span className="mono">{`${value.slice(0, 12)}…`}</span>
        <span className="sr-only"> (show the whole SHA-256)</span>
      </summary>
      <code className="mono">{value}</code>
    </details>
  );
}

export function UnsealResult({ r }: { r: UnsealResultView }) {
  const absent = Object.entries(r.absent);
  const kept = r.images.filter((i) => i.kept).length;
  return (
    <section className="card" aria-labelledby="unseal-result-h">
      <h2 id="unseal-result-h">Result</h2>
      <Notice kind={absent.length ? 'warn' : 'ok'} title={`${r.images.length} image${r.images.length === 1 ? '' : 's'} of ticket ${r.ticketId} in ${r.to}`}>
        {bytes(r.bytes)} in all, each checked against the SHA-256 recorded on the bench{kept ? `; ${kept} already there and kept` : ''}.
        {absent.length ? ' Some systems are on a drive that is not attached (below).' : ''}
      </Notice>
      <table className="data" aria-label="Unsealed images">
        <thead>
          <tr>
            <th scope="col">Image</th>
            <th scope="col">System and point</th>
            <th scope="col" className="num">
              Size
            </th>
            <th scope="col">SHA-256</th>
            <th scope="col">State</th>
          </tr>
        </thead>
        <tbody>
          {r.images.map((i) => (
            <tr key={i.file}>
              <th scope="row" className="mono user-text">
                {i.file}
              </th>
              <td>
                <span className="mono user-text">{i.system}</span> <span className="muted">{pointWords(i.point)}</span>
              </td>
              <td className="num nowrap">{bytes(i.bytes)}</td>
              <td>
                <Sha256 value={i.sha256} />
              </td>
              <td>{i.kept ? <Badge icon="=">already there, kept</Badge> : <Badge tone="ok" icon="✔">unsealed</Badge>}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p style={{ marginTop: '0.75rem' }}>
        The unit&apos;s manifest, with every image&apos;s checksum, is <span className="mono user-text">{r.manifestFile}</span>.
      </p>
      {absent.length ? (
        <Notice kind="warn" title="Not unsealed: on a drive that is not attached">
          <ul>
            {absent.map(([system, why]) => (
              <li key={system}>
                <span className="mono user-text">{system}</span>: <span className="user-text">{why}</span>
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
    </section>
  );
}
