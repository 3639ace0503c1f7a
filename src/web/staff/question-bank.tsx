import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import { QUESTION_LIMITS } from '../../shared/contracts/content.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField, LabelledField, Submit } from '../account/forms.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

/** One question as the bank shows it. */
export interface BankQuestionView {
  id: number;
  question: string;
  followUps: string[];
  strongEvidence: string;
}

/** A principle with its questions. */
export interface BankPrincipleView {
  slug: string;
  name: string;
  /** An admin has changed these questions, so content loads leave them alone. */
  edited: boolean;
  questions: BankQuestionView[];
}

/** A question form's fields as typed: the follow-ups in one text, one per line. */
export interface QuestionFormValues {
  question: string;
  followUps: string;
  strongEvidence: string;
}

const BASE = '/staff/question-bank';
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** /staff/question-bank: every principle with its questions; admins also get the buttons to change them. */
export function questionBankPage({
  chrome,
  principles,
  canEdit,
  notice,
}: {
  chrome: StaffChrome;
  principles: BankPrincipleView[];
  canEdit: boolean;
  notice?: string | undefined;
}): Page {
  return staffPage({
    chrome,
    title: 'Question bank',
    path: BASE,
    section: 'questions',
    lead: canEdit
      ? 'Behavioural questions for each principle, with prompts to dig deeper and what a strong answer holds. Interview kits show the questions of the principles each interviewer assesses. Every change you make here is recorded in the audit log.'
      : 'Behavioural questions for each principle, with prompts to dig deeper and what a strong answer holds. Interview kits show the questions of the principles you assess. Admins keep this list.',
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <nav className="panel question-bank__contents" aria-labelledby="bank-contents-title">
          <h2 id="bank-contents-title">Principles</h2>
          {principles.length === 0 ? (
            <p>No principles are loaded yet. The content pack adds them.</p>
          ) : (
            <ol className="question-bank__toc">
              {principles.map((p) => (
                <li key={p.slug}>
                  <a href={`#p-${p.slug}`}>{p.name}</a> <span className="muted">({plural(p.questions.length, 'question', 'questions')})</span>
                </li>
              ))}
            </ol>
          )}
        </nav>
        {principles.map((p) => (
          <PrincipleSection key={p.slug} principle={p} canEdit={canEdit} csrf={chrome.csrf} />
        ))}
      </>
    ),
  });
}

function PrincipleSection({ principle, canEdit, csrf }: { principle: BankPrincipleView; canEdit: boolean; csrf: string }) {
  const titleId = `p-${principle.slug}`;
  return (
    <section className="panel question-bank__principle" aria-labelledby={titleId}>
      <h2 id={titleId}>{principle.name}</h2>
      {canEdit ? (
        <p className="muted question-bank__source">
          {principle.edited
            ? 'Changed in the workspace: loading the content pack again leaves these questions as they are.'
            : 'As the content pack has them: loading the pack again brings its changes, until someone here changes them.'}
        </p>
      ) : null}
      {principle.questions.length === 0 ? (
        <p>No questions yet.</p>
      ) : (
        <ol className="question-list">
          {principle.questions.map((q, index) => (
            <li key={q.id} id={`q-${q.id}`} className="bank-question">
              <h3 className="bank-question__text">{q.question}</h3>
              <dl className="bank-question__details">
                <dt>Follow-up prompts</dt>
                <dd>
                  <ul>
                    {q.followUps.map((f, i) => (
                      <li key={i}>{f}</li>
                    ))}
                  </ul>
                </dd>
                <dt>What strong evidence sounds like</dt>
                <dd>{q.strongEvidence}</dd>
              </dl>
              {canEdit ? (
                <QuestionActions
                  id={q.id}
                  csrf={csrf}
                  label={`question ${index + 1} of ${principle.name}`}
                  first={index === 0}
                  last={index === principle.questions.length - 1}
                />
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {canEdit ? (
        <p>
          <a className="button button--outline button--small" href={`${BASE}/principles/${principle.slug}/new`}>
            Add a question<span className="visually-hidden"> to {principle.name}</span>
          </a>
        </p>
      ) : null}
    </section>
  );
}

/** Move up, move down and edit; each names its question for screen readers, since the page holds many. */
function QuestionActions({ id, csrf, label, first, last }: { id: number; csrf: string; label: string; first: boolean; last: boolean }) {
  const move = (direction: 'up' | 'down', text: string) => (
    <form method="post" action={`${BASE}/questions/${id}/move`} className="inline-form">
      <CsrfField token={csrf} />
      <input type="hidden" name="direction" value={direction} />
      <button type="submit" className="button button--outline button--small">
        {text}
        <span className="visually-hidden">: {label}</span>
      </button>
    </form>
  );
  return (
    <div className="bank-question__actions">
      {first ? null : move('up', 'Move up')}
      {last ? null : move('down', 'Move down')}
      <a className="button button--outline button--small" href={`${BASE}/questions/${id}`}>
        Edit<span className="visually-hidden"> {label}</span>
      </a>
    </div>
  );
}

function TextArea({ name, label, hint, rows, value, errors }: { name: keyof QuestionFormValues; label: string; hint?: ReactNode; rows: number; value: string; errors: FormError[] }) {
  return (
    <LabelledField
      name={name}
      label={label}
      hint={hint}
      errors={errors}
      control={(props) => <textarea {...props} name={name} rows={rows} defaultValue={value} required />}
    />
  );
}

/** The add and edit pages of a question: the same three fields; editing also offers deletion. */
export function questionFormPage({
  chrome,
  principle,
  questionId,
  values,
  errors = [],
}: {
  chrome: StaffChrome;
  principle: { slug: string; name: string };
  /** Set when editing; absent when adding. */
  questionId?: number | undefined;
  values: QuestionFormValues;
  errors?: FormError[];
}): Page {
  const editing = questionId !== undefined;
  const action = editing ? `${BASE}/questions/${questionId}` : `${BASE}/principles/${principle.slug}/new`;
  const back = editing ? `${BASE}#q-${questionId}` : `${BASE}#p-${principle.slug}`;
  return staffPage({
    chrome,
    title: editing ? `Edit a question of ${principle.name}` : `Add a question to ${principle.name}`,
    path: action,
    section: 'questions',
    errors,
    lead: 'Ask about something the candidate did (“Tell me about a time…”), so the answer is evidence rather than opinion.',
    children: (
      <>
        <form method="post" action={action} className="question-form" noValidate>
          <CsrfField token={chrome.csrf} />
          <TextArea name="question" label="Question" rows={3} value={values.question} errors={errors} hint={`At most ${QUESTION_LIMITS.question} characters.`} />
          <TextArea
            name="followUps"
            label="Follow-up prompts"
            rows={5}
            value={values.followUps}
            errors={errors}
            hint={`One prompt per line, in the order they are usually asked: at least one, at most ${QUESTION_LIMITS.followUps}.`}
          />
          <TextArea
            name="strongEvidence"
            label="What strong evidence sounds like"
            rows={4}
            value={values.strongEvidence}
            errors={errors}
            hint="A sentence or two that helps the interviewer recognize a strong answer."
          />
          <div className="question-form__buttons">
            <Submit>{editing ? 'Save changes' : 'Add question'}</Submit>
            <a href={back}>Cancel</a>
          </div>
        </form>
        {editing ? (
          <section className="panel question-form__delete" aria-labelledby="delete-title">
            <h2 id="delete-title">Delete this question</h2>
            <p>Interview kits stop showing it at once. Feedback already written is not affected. The audit log keeps its text.</p>
            <form method="post" action={`${BASE}/questions/${questionId}/delete`} className="inline-form">
              <CsrfField token={chrome.csrf} />
              <button type="submit" className="button button--danger">
                Delete question
              </button>
            </form>
          </section>
        ) : null}
      </>
    ),
  });
}
