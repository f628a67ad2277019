export function LeadsPage() {
  return <section className="page"><h1>Leads</h1><p className="muted">Not available yet.</p></section>;
}
