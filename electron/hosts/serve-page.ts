// The page `roundtrip serve` shows until the React bench UI is built into it: the lab's state and
// the jobs the engine holds, asked over the WebSocket with the session token.
export function placeholderPage(token: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>RoundTrip Bench</title>
<style>body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}pre{background:#f4f4f4;padding:1rem}</style></head>
<body><h1>RoundTrip Bench</h1><p>The bench's engine is running; this page shows the lab and the engine's jobs.</p>
<h2>Lab</h2><pre id="lab">asking the engine…</pre>
<h2>Jobs</h2><pre id="jobs">asking the engine…</pre>
<script>
const ws = new WebSocket('ws://' + location.host + '/api?token=${token}');
const show = (id, r, f) => { document.getElementById(id).textContent = r.ok ? f(r.result) : r.error.code + ': ' + r.error.message; };
ws.onopen = () => { ws.send(JSON.stringify({ id: 1, method: 'lab.status', params: {} })); ws.send(JSON.stringify({ id: 2, method: 'jobs.list', params: {} })); };
ws.onmessage = (m) => {
  const r = JSON.parse(m.data);
  if (r.id === 1) show('lab', r, (x) => JSON.stringify(x.systems ?? x, null, 2));
  else if (r.id === 2) show('jobs', r, (x) => x.length ? x.map((j) => j.id + '  ' + j.state + '  ' + j.title).join('\\n') : 'No jobs.');
  else if (r.event === 'job.state') ws.send(JSON.stringify({ id: 2, method: 'jobs.list', params: {} }));
};
</script></body></html>`;
}
