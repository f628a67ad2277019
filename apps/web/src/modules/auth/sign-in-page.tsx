import { type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { useSessionState, useSignIn } from './auth.api.js';
import { AuthLayout } from './auth-layout.js';

export function SignInPage() {
  const signIn = useSignIn();
  const state = useSessionState();
  const reason = state.status === 'signed-out' ? state.reason : undefined;
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    signIn.mutate({ email: v.email ?? '', password: v.password ?? '' });
  }
  return (
    <AuthLayout title="Sign in to Pillar" footer={<>
      <p><Link to="/forgot-password">Forgot your password?</Link></p>
      <p>New to Pillar? <Link to="/sign-up">Create a workspace</Link></p>
    </>}>
      {reason && !signIn.error && <p className="notice" role="status">{reason}</p>}
      <form onSubmit={submit} noValidate={false}>
        <TextField label="Email" name="email" type="email" autoComplete="username" required error={signIn.error} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={signIn.error} />
        <FormError error={signIn.error} />
        <button type="submit" className="primary wide" disabled={signIn.isPending}>{signIn.isPending ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </AuthLayout>
  );
}
