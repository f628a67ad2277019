export function DealsPage() {
  return <section className="page"><h1>Deals</h1><p className="muted">Not available yet.</p></section>;
}
