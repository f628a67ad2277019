import { type FormEvent } from 'react';
import { Link } from 'react-router';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { useSignUp } from './auth.api.js';
import { AuthLayout } from './auth-layout.js';

export function SignUpPage() {
  const signUp = useSignUp();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    signUp.mutate({ name: v.name ?? '', email: v.email ?? '', password: v.password ?? '', firm_name: v.firm_name ?? '' });
  }
  return (
    <AuthLayout title="Create your workspace" footer={<p>Already have an account? <Link to="/sign-in">Sign in</Link></p>}>
      <form onSubmit={submit}>
        <TextField label="Your name" name="name" autoComplete="name" required error={signUp.error} />
        <TextField label="Firm name" name="firm_name" autoComplete="organization" required error={signUp.error} />
        <TextField label="Work email" name="email" type="email" autoComplete="email" required error={signUp.error} />
        <TextField label="Password" name="password" type="password" autoComplete="new-password" minLength={10} required error={signUp.error} hint="At least 10 characters." />
        <FormError error={signUp.error} />
        <button type="submit" className="primary wide" disabled={signUp.isPending}>{signUp.isPending ? 'Creating…' : 'Create workspace'}</button>
      </form>
    </AuthLayout>
  );
}
