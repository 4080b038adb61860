// Units (being built).
export function UnitsScreen() {
  return (
    <>
      <h1>Units</h1>
      <p className="muted">Attached units (drives with a manifest, NAS units) appear here.</p>
    </>
  );
}
