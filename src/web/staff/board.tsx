import type { ReactNode } from 'react';
import type { FormError } from '../../shared/contracts/account.ts';
import { APPLICATION_SOURCE_LABELS, type ApplicationSource } from '../../shared/contracts/apply.ts';
import { stageLabel } from '../../domain/pipeline.ts';
import type { Page } from '../careers/pages.tsx';
import { CsrfField } from '../account/forms.tsx';
import { staffPage, type StaffChrome } from './layout.tsx';

export const BOARD_SORTS = ['newest', 'oldest', 'longest', 'name'] as const;
export type BoardSortView = (typeof BOARD_SORTS)[number];

const SORT_LABELS: Record<BoardSortView, string> = {
  newest: 'Newest applications first',
  oldest: 'Oldest applications first',
  longest: 'Longest in stage first',
  name: 'Name (A to Z)',
};

/** The board's filters as its URL holds them. */
export interface BoardFiltersView {
  stage?: string | undefined;
  source?: string | undefined;
  minDays?: number | undefined;
  words?: string | undefined;
  sort: BoardSortView;
  page: number;
}

export interface BoardCardView {
  id: number;
  stage: string;
  /** null while anonymized screening hides who it is. */
  name: string | null;
  source: string;
  daysInStage: number;
  tags: string[];
}

export interface BoardView {
  job: { id: number; title: string; status: string; anonymizedScreening: boolean };
  stages: string[];
  totals: Record<string, number>;
  matching: Record<string, number>;
  columns: Array<{ stage: string; cards: BoardCardView[] }>;
  sources: string[];
  filters: BoardFiltersView;
}

/** What the bulk form holds when it is shown again after a refusal. */
export interface BulkFormState {
  ids: number[];
  scope: 'selected' | 'stage';
  from: string;
  to: string;
  reason: string;
  email: boolean;
  subject: string;
  body: string;
}

const EXIT_STAGES = ['rejected', 'withdrawn'] as const;
export const CARDS_SHOWN = 50;

/** The query string of the board's filters (with overrides), '' when there are none. */
export function boardQuery(filters: BoardFiltersView, overrides: Partial<BoardFiltersView> = {}): string {
  const f = { ...filters, ...overrides };
  const params = new URLSearchParams();
  if (f.stage) params.set('stage', f.stage);
  if (f.source) params.set('source', f.source);
  if (f.minDays) params.set('days', String(f.minDays));
  if (f.words) params.set('q', f.words);
  if (f.sort !== 'newest') params.set('sort', f.sort);
  if (f.stage && f.page > 1) params.set('page', String(f.page));
  const query = params.toString();
  return query ? `?${query}` : '';
}

export const boardPath = (jobId: number) => `/staff/jobs/${jobId}/board`;

export const cardLabel = (card: { id: number; name: string | null }) => card.name || `Candidate #${card.id}`;

const sourceLabel = (source: string) => APPLICATION_SOURCE_LABELS[source as ApplicationSource] ?? stageLabel(source);

const days = (n: number) => (n === 1 ? '1 day in stage' : `${n} days in stage`);

/**
 * The pipeline board of a job: a column per stage of its template with counts (and the exits'
 * counts), filters in the URL, at most 50 cards a column, each card with its own plain "Move to"
 * form and a checkbox for the bulk form. src/web/client/board.ts adds drag and drop and keys.
 */
export function boardPage({
  chrome,
  board,
  may,
  notice,
  errors = [],
  bulk,
  rejection,
  script,
}: {
  chrome: StaffChrome;
  board: BoardView;
  may: { move: boolean; reject: boolean };
  notice?: string | null;
  errors?: FormError[];
  bulk?: BulkFormState;
  rejection: { subject: string; body: string };
  /** URL of the enhancement script. */
  script?: string | undefined;
}): Page {
  const { job, filters } = board;
  const path = boardPath(job.id);
  const back = boardQuery(filters);
  const active = Boolean(filters.source || filters.words || filters.minDays);
  const total = Object.values(board.totals).reduce((a, b) => a + b, 0);
  const selected = new Set(bulk?.ids ?? []);
  return staffPage({
    chrome,
    title: `Pipeline: ${job.title}`,
    path,
    section: 'jobs',
    errors,
    wide: true,
    scripts: script && may.move ? [script] : [],
    lead: (
      <>
        {total === 1 ? '1 application' : `${total.toLocaleString('en-US')} applications`}.{' '}
        {job.anonymizedScreening ? 'Anonymized screening: names stay hidden until an application is past screening.' : null}
      </>
    ),
    actions: (
      <a className="button button--outline" href={`/staff/jobs/${job.id}`}>
        Job details
      </a>
    ),
    children: (
      <>
        {notice ? (
          <p className="notice" role="status">
            {notice}
          </p>
        ) : null}
        <p className="visually-hidden" aria-live="polite" id="board-live" />
        <p className="board-message" role="alert" id="board-error" hidden />

        <section aria-labelledby="counts-title" className="board-counts">
          <h2 id="counts-title" className="visually-hidden">
            Applications per stage
          </h2>
          <ul className="board-counts__list">
            {[...board.stages, ...EXIT_STAGES].map((stage) => (
              <li key={stage} className={EXIT_STAGES.includes(stage as 'rejected') ? 'board-counts__item board-counts__item--exit' : 'board-counts__item'}>
                <a href={`${path}${boardQuery(filters, { stage, page: 1 })}`} aria-current={filters.stage === stage ? 'true' : undefined}>
                  {stageLabel(stage)}
                </a>{' '}
                <span className="board-counts__n" data-count-for={stage}>
                  {board.totals[stage] ?? 0}
                </span>
              </li>
            ))}
          </ul>
        </section>

        <Filters board={board} path={path} />

        {may.move ? (
          <BulkForm board={board} path={path} back={back} may={may} errors={errors} bulk={bulk} rejection={rejection} csrf={chrome.csrf} />
        ) : null}

        <p className="board-hint" id="board-keys" hidden>
          To move a card without the Move button: drag it to another column, or focus the card and press <kbd>]</kbd> for the next stage or{' '}
          <kbd>[</kbd> for the previous one.
        </p>

        {/* The columns scroll sideways: a focusable, named region lets a keyboard scroll them even with no card to focus. */}
        <div
          className="board"
          role="region"
          aria-label="Pipeline columns"
          tabIndex={0}
          data-board={may.move ? 'movable' : 'read'}
          data-stages={JSON.stringify(board.stages)}
          data-labels={JSON.stringify(Object.fromEntries(board.stages.map((s) => [s, stageLabel(s)])))}
        >
          {board.columns.map((column) => {
            const matching = board.matching[column.stage] ?? 0;
            const open = !EXIT_STAGES.includes(column.stage as 'rejected') && column.stage !== 'hired';
            const targets = board.stages.filter((s) => s !== column.stage);
            const shownTo = (filters.stage ? (filters.page - 1) * CARDS_SHOWN : 0) + column.cards.length;
            return (
              <section
                key={column.stage}
                className="board__column"
                aria-labelledby={`column-${column.stage}`}
                data-stage={column.stage}
                data-label={stageLabel(column.stage)}
              >
                <h2 className="board__title" id={`column-${column.stage}`}>
                  {stageLabel(column.stage)}{' '}
                  <span className="board__count">
                    <span data-count-for={column.stage}>{board.totals[column.stage] ?? 0}</span>
                    <span className="visually-hidden"> applications</span>
                  </span>
                </h2>
                {active ? (
                  <p className="board__matching">
                    <span data-matching-for={column.stage}>{matching}</span> match the filters
                  </p>
                ) : null}
                <ol className="board__cards" data-stage={column.stage}>
                  {column.cards.map((card) => (
                    <Card key={card.id} card={card} jobId={job.id} csrf={chrome.csrf} back={back} targets={open && may.move ? targets : []} selected={selected.has(card.id)} />
                  ))}
                </ol>
                {column.cards.length === 0 ? <p className="board__empty">{active ? 'None match the filters.' : 'None yet.'}</p> : null}
                {!filters.stage && matching > column.cards.length ? (
                  <p className="board__more">
                    <a href={`${path}${boardQuery(filters, { stage: column.stage, page: 1 })}`}>
                      See all {matching} in {stageLabel(column.stage)}
                    </a>
                  </p>
                ) : null}
                {filters.stage ? (
                  <nav className="board__pages" aria-label={`Pages of ${stageLabel(column.stage)}`}>
                    <p>
                      {column.cards.length ? `Showing ${(filters.page - 1) * CARDS_SHOWN + 1}–${shownTo} of ${matching}.` : null}{' '}
                      {filters.page > 1 ? <a href={`${path}${boardQuery(filters, { page: filters.page - 1 })}`}>Previous {CARDS_SHOWN}</a> : null}{' '}
                      {matching > shownTo ? <a href={`${path}${boardQuery(filters, { page: filters.page + 1 })}`}>Next {CARDS_SHOWN}</a> : null}{' '}
                      <a href={`${path}${boardQuery(filters, { stage: undefined, page: 1 })}`}>Back to every stage</a>
                    </p>
                  </nav>
                ) : null}
              </section>
            );
          })}
        </div>
      </>
    ),
  });
}

function Filters({ board, path }: { board: BoardView; path: string }) {
  const { filters } = board;
  return (
    <form method="get" action={path} className="board-filters" role="search" aria-label="Filter and sort applications">
      <div className="field">
        <label htmlFor="f-stage">Stage</label>
        <select id="f-stage" name="stage" defaultValue={filters.stage ?? ''}>
          <option value="">Every stage</option>
          {[...board.stages, ...EXIT_STAGES].map((stage) => (
            <option key={stage} value={stage}>
              {stageLabel(stage)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-source">Source</label>
        <select id="f-source" name="source" defaultValue={filters.source ?? ''}>
          <option value="">Any source</option>
          {board.sources.map((source) => (
            <option key={source} value={source}>
              {sourceLabel(source)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="f-days">At least this many days in stage</label>
        <input id="f-days" name="days" type="number" min={0} max={3650} inputMode="numeric" defaultValue={filters.minDays ? String(filters.minDays) : ''} />
      </div>
      <div className="field field--grow">
        <label htmlFor="f-q">Resume mentions</label>
        <input id="f-q" name="q" type="search" maxLength={200} defaultValue={filters.words ?? ''} aria-describedby="f-q-hint" />
        <p className="field__hint" id="f-q-hint">
          Words in the resume text. Use "quotes" for a phrase, or for either word, and -word to leave one out.
          {board.job.anonymizedScreening ? ' Applications still under anonymized screening are not searched: their resumes name who they are.' : ''}
        </p>
      </div>
      <div className="field">
        <label htmlFor="f-sort">Sort</label>
        <select id="f-sort" name="sort" defaultValue={filters.sort}>
          {BOARD_SORTS.map((sort) => (
            <option key={sort} value={sort}>
              {SORT_LABELS[sort]}
            </option>
          ))}
        </select>
      </div>
      <div className="board-filters__buttons">
        <button type="submit" className="button button--solid">
          Apply filters
        </button>
        <a href={path}>Clear filters</a>
      </div>
    </form>
  );
}

function Card({
  card,
  jobId,
  csrf,
  back,
  targets,
  selected,
}: {
  card: BoardCardView;
  jobId: number;
  csrf: string;
  back: string;
  /** The stages it may move to; none when it cannot move (closed, or the viewer may not). */
  targets: string[];
  selected: boolean;
}) {
  const label = cardLabel(card);
  const movable = targets.length > 0;
  return (
    <li
      className="board-card"
      id={`card-${card.id}`}
      data-stage={card.stage}
      aria-labelledby={`card-${card.id}-name`}
      tabIndex={movable ? 0 : undefined}
      draggable={movable ? true : undefined}
      aria-describedby={movable ? 'board-keys' : undefined}
    >
      <h3 className="board-card__name" id={`card-${card.id}-name`}>
        <a href={`/staff/applications/${card.id}`}>{label}</a>
      </h3>
      <p className="board-card__meta">
        <span data-days>{days(card.daysInStage)}</span> · {sourceLabel(card.source)}
      </p>
      {card.tags.length ? (
        <ul className="board-card__tags" aria-label="Tags">
          {card.tags.map((tag) => (
            <li key={tag} className="status-tag">
              {tag}
            </li>
          ))}
        </ul>
      ) : null}
      {movable ? (
        <div className="board-card__actions">
          <div className="board-card__select">
            <input type="checkbox" form="bulk-form" name="ids" value={card.id} id={`select-${card.id}`} defaultChecked={selected} />
            <label htmlFor={`select-${card.id}`}>
              Select<span className="visually-hidden"> {label}</span>
            </label>
          </div>
          <form method="post" action={`${boardPath(jobId)}/move`} className="board-card__move" data-move-form>
            <CsrfField token={csrf} />
            <input type="hidden" name="applicationId" value={card.id} />
            {back ? <input type="hidden" name="back" value={back} /> : null}
            <label htmlFor={`move-${card.id}`}>
              Move<span className="visually-hidden"> {label}</span> to
            </label>
            <select id={`move-${card.id}`} name="to">
              {targets.map((stage) => (
                <option key={stage} value={stage}>
                  {stageLabel(stage)}
                </option>
              ))}
            </select>
            <button type="submit" className="button button--outline">
              Move
            </button>
          </form>
        </div>
      ) : null}
    </li>
  );
}

function BulkForm({
  board,
  path,
  back,
  may,
  errors,
  bulk,
  rejection,
  csrf,
}: {
  board: BoardView;
  path: string;
  back: string;
  may: { move: boolean; reject: boolean };
  errors: FormError[];
  bulk: BulkFormState | undefined;
  rejection: { subject: string; body: string };
  csrf: string;
}) {
  const error = (field: string) => errors.find((e) => e.field === field);
  const refused = errors.some((e) => e.field.startsWith('bulk'));
  const open = board.stages.filter((s) => s !== 'hired');
  const message = (field: string) => {
    const e = error(field);
    return e ? (
      <p className="field__error" id={`${field}-error`}>
        <span className="visually-hidden">Error: </span>
        {e.message}
      </p>
    ) : null;
  };
  const described = (field: string, hint?: string) => [hint, error(field) ? `${field}-error` : undefined].filter(Boolean).join(' ') || undefined;
  return (
    <details className="panel board-bulk" open={refused || undefined}>
      <summary>
        <h2 className="board-bulk__title">Act on several applications at once</h2>
      </summary>
      <form id="bulk-form" method="post" action={`${path}/bulk`}>
        <CsrfField token={csrf} />
        <input type="hidden" name="back" value={back} />
        <fieldset className="form-section" id="bulk-scope" aria-describedby={described('bulk-scope')}>
          <legend>Which applications</legend>
          {message('bulk-scope')}
          <div className="choice__option">
            <input type="radio" name="scope" value="selected" id="bulk-scope-selected" defaultChecked={(bulk?.scope ?? 'selected') === 'selected'} />
            <label htmlFor="bulk-scope-selected">The cards ticked with Select on this page</label>
          </div>
          <div className="choice__option">
            <input type="radio" name="scope" value="stage" id="bulk-scope-stage" defaultChecked={bulk?.scope === 'stage'} />
            <label htmlFor="bulk-scope-stage">Every application of the stage chosen below that matches the filters above (up to 10,000)</label>
          </div>
          <div className="field">
            <label htmlFor="bulk-from">Stage for "every application"</label>
            <select id="bulk-from" name="from" defaultValue={bulk?.from ?? board.filters.stage ?? open[0]}>
              {open.map((stage) => (
                <option key={stage} value={stage}>
                  {stageLabel(stage)} ({board.matching[stage] ?? 0})
                </option>
              ))}
            </select>
          </div>
        </fieldset>
        <fieldset className="form-section">
          <legend>Move them</legend>
          <div className={error('bulk-to') ? 'field field--error' : 'field'}>
            <label htmlFor="bulk-to">To stage</label>
            {message('bulk-to')}
            <select id="bulk-to" name="to" defaultValue={bulk?.to ?? ''} aria-describedby={described('bulk-to')} aria-invalid={error('bulk-to') ? true : undefined}>
              <option value="">Choose a stage</option>
              {board.stages.map((stage) => (
                <option key={stage} value={stage}>
                  {stageLabel(stage)}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" name="op" value="move" className="button button--solid">
            Move them
          </button>
        </fieldset>
        {may.reject ? (
          <fieldset className="form-section">
            <legend>Reject them</legend>
            <RejectFields prefix="bulk" errors={errors} values={bulk} rejection={rejection} />
            <button type="submit" name="op" value="reject" className="button button--danger">
              Reject them
            </button>
          </fieldset>
        ) : null}
      </form>
    </details>
  );
}

/** The reason and the optional email of a rejection, shared by the board's bulk form and the application page. */
export function RejectFields({
  prefix,
  errors,
  values,
  rejection,
}: {
  prefix: string;
  errors: FormError[];
  values: { reason: string; email: boolean; subject: string; body: string } | undefined;
  rejection: { subject: string; body: string };
}) {
  const error = (name: string) => errors.find((e) => e.field === `${prefix}-${name}`);
  const field = (name: string, label: string, control: (describedBy: string | undefined, invalid: boolean) => ReactNode, hint?: string) => {
    const e = error(name);
    const id = `${prefix}-${name}`;
    const describedBy = [hint ? `${id}-hint` : '', e ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div className={e ? 'field field--error' : 'field'}>
        <label htmlFor={id}>{label}</label>
        {hint ? (
          <p className="field__hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        {e ? (
          <p className="field__error" id={`${id}-error`}>
            <span className="visually-hidden">Error: </span>
            {e.message}
          </p>
        ) : null}
        {control(describedBy, Boolean(e))}
      </div>
    );
  };
  return (
    <>
      {field(
        'reason',
        'Reason',
        (describedBy, invalid) => (
          <textarea id={`${prefix}-reason`} name="reason" rows={2} maxLength={1000} defaultValue={values?.reason ?? ''} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        ),
        'Kept for the hiring team and the audit log; the candidate never sees it.',
      )}
      <div className="choice__option">
        <input type="checkbox" id={`${prefix}-email`} name="email" value="yes" defaultChecked={values?.email ?? false} />
        <label htmlFor={`${prefix}-email`}>Email the candidate this message</label>
      </div>
      {field('subject', 'Subject', (describedBy, invalid) => (
        <input id={`${prefix}-subject`} name="subject" type="text" maxLength={200} defaultValue={values?.subject ?? rejection.subject} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
      ))}
      {field(
        'body',
        'Message',
        (describedBy, invalid) => (
          <textarea id={`${prefix}-body`} name="body" rows={10} maxLength={10000} defaultValue={values?.body ?? rejection.body} aria-describedby={describedBy} aria-invalid={invalid || undefined} />
        ),
        '{{candidate_name}} becomes each candidate’s name. The saved template is in Settings.',
      )}
    </>
  );
}
