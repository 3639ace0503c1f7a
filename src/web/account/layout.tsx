import type { ReactNode } from 'react';
import type { FormState } from '../../shared/contracts/account.ts';
import type { Page } from '../careers/pages.tsx';
import { Layout } from '../ui/Layout.tsx';
import { ErrorSummary } from './forms.tsx';

/** Account pages are personal: never indexed, titled "Error: …" when a form was refused. */
export function accountPage({
  organization,
  title,
  path,
  state,
  lead,
  children,
}: {
  organization: string;
  title: string;
  path: string;
  state?: FormState;
  lead?: ReactNode;
  children: ReactNode;
}): Page {
  const refused = (state?.errors.length ?? 0) > 0;
  return {
    meta: { title: refused ? `Error: ${title}` : title, description: `${title} at ${organization} Careers.`, path, noindex: true },
    body: (
      <Layout organization={organization} section="account">
        <div className="container">
          <div className="section--narrow account">
            {state ? <ErrorSummary errors={state.errors} /> : null}
            <header className="page-head page-head--compact">
              <h1>{title}</h1>
              {lead ? <p className="page-head__lead">{lead}</p> : null}
            </header>
            {children}
          </div>
        </div>
      </Layout>
    ),
  };
}
