import { useState } from 'react';
import { SignInPage, type SignedIn } from '../modules/auth/sign-in-page.js';

export function App() {
  const [session, setSession] = useState<SignedIn | null>(null);
  if (!session) return <SignInPage onSignedIn={setSession} />;
  return (
    <main className="auth-page">
      <div className="card">
        <h1>Welcome, {session.user.name}</h1>
        <p>You are signed in to {session.tenant.tenant_name} as {session.tenant.role}.</p>
      </div>
    </main>
  );
}
