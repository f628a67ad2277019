export function CompaniesPage() {
  return <section className="page"><h1>Companies</h1><p className="muted">Not available yet.</p></section>;
}
