export function ContactsPage() {
  return <section className="page"><h1>Contacts</h1><p className="muted">Not available yet.</p></section>;
}
