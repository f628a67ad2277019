import { type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { FormError, TextField, formValues } from '../../ui/form.js';
import { useAcceptInvitation, useForgotPassword, useResetPassword } from './auth.api.js';
import { AuthLayout } from './auth-layout.js';

export function ForgotPasswordPage() {
  const forgot = useForgotPassword();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    forgot.mutate({ email: formValues(e.currentTarget).email ?? '' });
  }
  return (
    <AuthLayout title="Reset your password" footer={<p><Link to="/sign-in">Back to sign in</Link></p>}>
      {forgot.isSuccess ? (
        <p role="status">If an account exists for that address, we sent it a link to choose a new password. It is valid for an hour.</p>
      ) : (
        <form onSubmit={submit}>
          <TextField label="Email" name="email" type="email" autoComplete="email" required error={forgot.error} />
          <FormError error={forgot.error} />
          <button type="submit" className="primary wide" disabled={forgot.isPending}>Send reset link</button>
        </form>
      )}
    </AuthLayout>
  );
}

export function ResetPasswordPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const reset = useResetPassword();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    reset.mutate({ token, password: formValues(e.currentTarget).password ?? '' });
  }
  if (!token) return <AuthLayout title="Reset your password"><p role="alert">This link has no reset token. <Link to="/forgot-password">Ask for a new link</Link>.</p></AuthLayout>;
  return (
    <AuthLayout title="Choose a new password" footer={<p><Link to="/sign-in">Back to sign in</Link></p>}>
      {reset.isSuccess ? (
        <p role="status">Your password was changed and other sign-ins were ended. <Link to="/sign-in">Sign in</Link> with the new password.</p>
      ) : (
        <form onSubmit={submit}>
          <TextField label="New password" name="password" type="password" autoComplete="new-password" minLength={10} required error={reset.error} hint="At least 10 characters." />
          <FormError error={reset.error} />
          <button type="submit" className="primary wide" disabled={reset.isPending}>Change password</button>
        </form>
      )}
    </AuthLayout>
  );
}

export function AcceptInvitationPage() {
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const accept = useAcceptInvitation();
  function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const v = formValues(e.currentTarget);
    accept.mutate({ token, name: v.name, password: v.password });
  }
  if (!token) return <AuthLayout title="Join a workspace"><p role="alert">This invitation link has no token. Ask whoever invited you to send it again.</p></AuthLayout>;
  return (
    <AuthLayout title="Join a workspace">
      <p>New to Pillar? Choose your name and a password. Already have an account? Leave the name empty and enter your password.</p>
      <form onSubmit={submit}>
        <TextField label="Your name" name="name" autoComplete="name" error={accept.error} />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={accept.error} />
        <FormError error={accept.error} />
        <button type="submit" className="primary wide" disabled={accept.isPending}>Accept invitation</button>
      </form>
    </AuthLayout>
  );
}
