export function ActivitiesPage() {
  return <section className="page"><h1>Activities</h1><p className="muted">Not available yet.</p></section>;
}
