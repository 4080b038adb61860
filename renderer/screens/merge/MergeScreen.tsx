// Merge back (being built).
export function MergeScreen({ device }: { device: string }) {
  return (
    <>
      <h1>Merge back</h1>
      <p className="muted">Merge-back of a unit appears here. {device}</p>
    </>
  );
}
