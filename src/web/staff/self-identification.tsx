import { MIN_GROUP_SIZE, type AggregateQuestion } from '../../domain/self-identification.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField } from '../account/forms.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** What the report shows. */
export interface SelfIdReport {
  enabled: boolean;
  jobs: Array<{ id: number; title: string }>;
  jobId: number | undefined;
  questions: AggregateQuestion[];
}

/** The aggregate self-identification report, and for admins the switch that asks the questions. */
export function selfIdReportPage({ chrome, report, canSwitch, saved }: { chrome: StaffChrome; report: SelfIdReport; canSwitch: boolean; saved: boolean }): Page {
  const path = '/staff/reports/self-identification';
  return staffPage({
    chrome,
    title: 'Self-identification report',
    path,
    section: 'reports',
    lead: `Voluntary answers, kept apart from applications. Groups smaller than ${MIN_GROUP_SIZE} are hidden, and so is one more when a single hidden group could be worked out from the rest.`,
    children: (
      <>
        {saved ? (
          <p className="panel" role="status">
            Saved.
          </p>
        ) : null}
        <section className="panel" aria-labelledby="selfid-switch">
          <h2 id="selfid-switch">On the apply form</h2>
          <p>
            The questions are <strong>{report.enabled ? 'asked' : 'not asked'}</strong> on the apply form.
            {report.enabled ? ' Every one is optional and offers “I prefer not to say”.' : ' They are off unless an admin turns them on.'}
          </p>
          {canSwitch ? (
            <form method="post" action={path} className="inline-form">
              <CsrfField token={chrome.csrf} />
              <input type="hidden" name="enabled" value={report.enabled ? 'no' : 'yes'} />
              <button type="submit" className="button button--outline">
                {report.enabled ? 'Stop asking the questions' : 'Ask the questions on the apply form'}
              </button>
            </form>
          ) : null}
        </section>
        <form method="get" action={path} className="panel">
          <label htmlFor="job">Job</label>
          <select id="job" name="job" defaultValue={report.jobId ? String(report.jobId) : ''}>
            <option value="">All jobs</option>
            {report.jobs.map((job) => (
              <option key={job.id} value={job.id}>
                {job.title}
              </option>
            ))}
          </select>{' '}
          <button type="submit" className="button button--outline">
            Show
          </button>
        </form>
        {report.questions.map((question) => (
          <section key={question.key} className="panel" aria-labelledby={`q-${question.key}`}>
            <h2 id={`q-${question.key}`}>{question.label}</h2>
            {question.answered === null ? (
              <p>Fewer than {MIN_GROUP_SIZE} people answered, so nothing is shown.</p>
            ) : (
              <table className="data-table">
                <caption className="visually-hidden">Answers to “{question.label}”</caption>
                <thead>
                  <tr>
                    <th scope="col">Answer</th>
                    <th scope="col">People</th>
                  </tr>
                </thead>
                <tbody>
                  {question.groups.map((group) => (
                    <tr key={group.value}>
                      <th scope="row">{group.label}</th>
                      <td>{group.count === null ? 'Hidden (small group)' : group.count}</td>
                    </tr>
                  ))}
                  <tr>
                    <th scope="row">Everyone who answered</th>
                    <td>{question.answered}</td>
                  </tr>
                </tbody>
              </table>
            )}
          </section>
        ))}
      </>
    ),
  });
}
