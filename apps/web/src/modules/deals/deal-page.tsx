export function DealPage() {
  return <section className="page"><h1>Deal</h1><p className="muted">Not available yet.</p></section>;
}
