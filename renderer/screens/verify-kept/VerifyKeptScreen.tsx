// Verify a kept unit (being built).
export function VerifyKeptScreen({ device }: { device: string }) {
  return (
    <>
      <h1>Verify a kept unit</h1>
      <p className="muted">The kept-unit verification appears here. {device}</p>
    </>
  );
}
