// Settings (being built).
export function SettingsScreen() {
  return (
    <>
      <h1>Settings</h1>
      <p className="muted">The bench's settings appear here.</p>
    </>
  );
}
