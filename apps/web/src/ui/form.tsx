/** Form building blocks that show problem+json errors: `detail` above the form, per-field `errors` under each field. */
import { useId, type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from 'react';
import { ApiError } from './api.js';

export function fieldErrorFor(error: unknown, name: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const hit = error.fieldErrors.find((e) => e.path === name || e.path === `body.${name}` || e.path.endsWith(`.${name}`));
  return hit?.message;
}

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  const detail = error instanceof ApiError ? error.problem.detail ?? error.problem.title : error instanceof Error ? error.message : 'Something went wrong.';
  const fields = error instanceof ApiError ? error.fieldErrors : [];
  return (
    <div className="form-error" role="alert">
      <p>{detail}</p>
      {fields.length > 0 && (
        <ul>{fields.map((f) => <li key={f.path}>{f.path.replace(/^body\./, '')}: {f.message}</li>)}</ul>
      )}
    </div>
  );
}

type FieldProps = { label: string; name: string; error?: unknown; hint?: ReactNode };

export function TextField({ label, name, error, hint, ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const id = useId();
  const message = fieldErrorFor(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={message ? `${id}-err` : hint ? `${id}-hint` : undefined} {...input} />
      {hint && !message && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {message && <p className="field-error" id={`${id}-err`}>{message}</p>}
    </div>
  );
}

export function TextArea({ label, name, error, ...input }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const message = fieldErrorFor(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={message ? `${id}-err` : undefined} {...input} />
      {message && <p className="field-error" id={`${id}-err`}>{message}</p>}
    </div>
  );
}

export function SelectField({ label, name, error, options, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement> & {
  options: readonly { value: string; label: string }[];
}) {
  const id = useId();
  const message = fieldErrorFor(error, name);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} aria-invalid={message ? true : undefined} aria-describedby={message ? `${id}-err` : undefined} {...select}>
        {options.map((o) => <option key={o.value} value={o.value}>{o.label}</option>)}
      </select>
      {message && <p className="field-error" id={`${id}-err`}>{message}</p>}
    </div>
  );
}

/** Reads a form's fields as strings, dropping empty optional ones. */
export function formValues(form: HTMLFormElement): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new FormData(form).entries()) {
    if (typeof v === 'string' && v.trim() !== '') out[k] = v.trim();
  }
  return out;
}
