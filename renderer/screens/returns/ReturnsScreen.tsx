// Return clock (being built).
export function ReturnsScreen() {
  return (
    <>
      <h1>Return clock</h1>
      <p className="muted">Tickets by return state appear here.</p>
    </>
  );
}
