export function CompanyPage() {
  return <section className="page"><h1>Company</h1><p className="muted">Not available yet.</p></section>;
}
