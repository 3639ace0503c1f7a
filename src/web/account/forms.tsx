import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';

/** The hidden anti-forgery field every account form carries. */
export function CsrfField({ token }: { token: string }) {
  return <input type="hidden" name="_csrf" value={token} />;
}

/**
 * The list of problems at the top of a refused form. It is announced at once (role="alert")
 * and each problem links to its field, so keyboard and screen-reader users can go straight there.
 */
export function ErrorSummary({ errors }: { errors: FormError[] }) {
  if (errors.length === 0) return null;
  return (
    <div className="error-summary" role="alert" aria-labelledby="error-summary-title">
      <h2 id="error-summary-title" className="error-summary__title">
        There is a problem
      </h2>
      <ul className="error-summary__list">
        {errors.map((error) => (
          <li key={`${error.field}:${error.message}`}>{error.field ? <a href={`#${error.field}`}>{error.message}</a> : error.message}</li>
        ))}
      </ul>
    </div>
  );
}

/** What the control inside a LabelledField gets: the ids it must point at, and whether it was refused. */
export interface ControlProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
}

/**
 * The frame of every form control: its label, its hint and, when refused, its message beside it;
 * `control` draws the input, select or textarea, which points at both through the props it gets.
 */
export function LabelledField({
  name,
  label,
  hint,
  errors,
  control,
  className,
}: {
  name: string;
  label: ReactNode;
  hint?: ReactNode;
  errors: FormError[];
  control: (props: ControlProps) => ReactNode;
  /** A further class for the frame, e.g. a grid placement. */
  className?: string | undefined;
}) {
  const error = errors.find((e) => e.field === name);
  const describedBy = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={[error ? 'field field--error' : 'field', className].filter(Boolean).join(' ')}>
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <p id={`${name}-hint`} className="field__hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${name}-error`} className="field__error">
          <span className="visually-hidden">Error: </span>
          {error.message}
        </p>
      ) : null}
      {control({ id: name, 'aria-invalid': error ? true : undefined, 'aria-describedby': describedBy })}
    </div>
  );
}

/** A labelled input with its hint and, when refused, its message; the input points at both. */
export function Field({
  name,
  label,
  type,
  autoComplete,
  errors,
  value,
  hint,
  required = true,
}: {
  name: string;
  label: string;
  type: 'email' | 'password' | 'text' | 'tel' | 'url';
  autoComplete: string;
  errors: FormError[];
  value?: string;
  hint?: ReactNode;
  required?: boolean;
}) {
  return (
    <LabelledField
      name={name}
      label={label}
      hint={hint}
      errors={errors}
      control={(props) => (
        <input
          {...props}
          name={name}
          type={type}
          autoComplete={autoComplete}
          defaultValue={type === 'password' ? undefined : value}
          required={required}
          spellCheck={type === 'email' ? false : undefined}
          autoCapitalize={type === 'text' || type === 'tel' ? undefined : 'none'}
        />
      )}
    />
  );
}

/** The form's main button. */
export function Submit({ children }: { children: ReactNode }) {
  return (
    <button type="submit" className="button button--solid">
      {children}
    </button>
  );
}
