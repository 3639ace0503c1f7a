import { jobPath, locationLabel, PAY_UNIT_LABELS, type PublicJob, type ScreeningQuestion } from '../../../shared/contracts/jobs.ts';
import type { Db } from '../../db/client.ts';
import { renderMarkdown } from '../../markdown.ts';
import { findJobsByIds, streamPublicJobs } from '../jobs/jobs.repository.ts';
import { escapeHtml, fullJobHtml } from '../feeds/job-html.ts';
import { isoWithOffset } from '../feeds/xml.ts';
import { findBoardSite, findPublicPlaces, findTeams } from './boards.repository.ts';

// Shapes follow Greenhouse's public Job Board API (boards-api.greenhouse.io/v1/boards/{token}).

type RenderAs = 'list' | 'tree';

/** What every answer needs: the organization, team ids by slug and the office catalogue. */
interface BoardContext {
  publicUrl: string;
  organization: string;
  teams: Array<{ id: number; slug: string; name: string }>;
  teamIds: Map<string, number>;
}

async function boardContext(db: Db, publicUrl: string): Promise<BoardContext> {
  const [siteRow, teams] = await Promise.all([findBoardSite(db), findTeams(db)]);
  return { publicUrl, organization: siteRow?.organization ?? 'Day One', teams, teamIds: new Map(teams.map((t) => [t.slug, t.id])) };
}

/** FNV-1a, 31 bits: a stable positive id for things that have no row of their own (offices). */
function stableId(key: string): number {
  let hash = 0x811c9dc5;
  for (const char of key) {
    hash ^= char.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash & 0x7fffffff) || 1;
}

/**
 * The job's id as Greenhouse's `internal_job_id` (the job, as opposed to the post `id`): the
 * number in its requisition id ("REQ-0000042" → 42), or a stable hash of the requisition id
 * when it has no usable number or that number equals the post id.
 */
export function internalJobId(job: Pick<PublicJob, 'id' | 'requisitionId'>): number {
  const digits = job.requisitionId.replace(/\D/g, '');
  const number = digits && digits.length <= 15 ? Number(digits) : NaN;
  if (Number.isSafeInteger(number) && number > 0 && number !== job.id) return number;
  const hashed = stableId(`requisition:${job.requisitionId}`);
  return hashed === job.id ? hashed + 1 : hashed;
}

/** HTML as Greenhouse's `content` carries it: entity-encoded, so "<p>" arrives as "&lt;p&gt;". */
export const encodeContent = (html: string) => escapeHtml(html);

const countryNames = new Intl.DisplayNames(['en'], { type: 'region' });
const countryName = (code: string) => {
  try {
    return countryNames.of(code) ?? code;
  } catch {
    return code;
  }
};

interface Office {
  id: number;
  name: string;
  location: string;
  parentId: number | null;
  childIds: number[];
}

const countryOfficeId = (country: string) => stableId(`country:${country}`);
const cityOfficeId = (place: string) => stableId(`city:${place}`);

/**
 * Offices are where jobs are: one per country (the parents) and one per "City, CC" place (the
 * children). A job belongs to the offices of its cities; a remote job without locations to
 * the offices of the countries it hires in.
 */
function officeCatalogue(places: { cities: string[]; countries: string[] }): Office[] {
  const cities = places.cities.map((place) => {
    const comma = place.lastIndexOf(', ');
    return { place, city: place.slice(0, comma), country: place.slice(comma + 2) };
  });
  const countries = [...new Set([...places.countries, ...cities.map((c) => c.country)])].sort((a, b) => countryName(a).localeCompare(countryName(b)));
  return countries.flatMap((country) => {
    const children = cities.filter((c) => c.country === country).sort((a, b) => a.city.localeCompare(b.city));
    const parent: Office = { id: countryOfficeId(country), name: countryName(country), location: countryName(country), parentId: null, childIds: children.map((c) => cityOfficeId(c.place)) };
    return [parent, ...children.map((c) => ({ id: cityOfficeId(c.place), name: c.city, location: `${c.city}, ${countryName(country)}`, parentId: parent.id, childIds: [] }))];
  });
}

function jobOfficeIds(job: PublicJob): number[] {
  if (job.locations.length) return [...new Set(job.locations.map((l) => cityOfficeId(`${l.city}, ${l.country}`)))];
  return [...new Set(job.applicantCountries.map(countryOfficeId))];
}

const dataCompliance = [
  { type: 'gdpr', requires_consent: false, requires_processing_consent: false, requires_retention_consent: false, retention_period: null, demographic_data_consent_applies: false },
];

/** A job post as Greenhouse lists it. */
function jobSummary(job: PublicJob, ctx: BoardContext) {
  return {
    absolute_url: `${ctx.publicUrl}${jobPath(job)}`,
    data_compliance: dataCompliance,
    internal_job_id: internalJobId(job),
    location: { name: locationLabel(job) },
    metadata: null,
    id: job.id,
    updated_at: isoWithOffset(job.updatedAt),
    requisition_id: job.requisitionId,
    title: job.title,
    company_name: ctx.organization,
    first_published: isoWithOffset(job.postedAt),
    language: 'en',
  };
}

/** A job post with its content, departments and offices, as `content=true` and the single post give it. */
function jobWithContent(job: PublicJob, ctx: BoardContext, offices: Map<number, Office>) {
  const teamId = ctx.teamIds.get(job.team.slug)!;
  return {
    ...jobSummary(job, ctx),
    content: encodeContent(fullJobHtml(job)),
    departments: [{ id: teamId, name: job.team.name, child_ids: [], parent_id: null }],
    offices: jobOfficeIds(job).map((id) => {
      const office = offices.get(id);
      return { id, name: office?.name ?? '', location: office?.location ?? '', child_ids: office?.childIds ?? [], parent_id: office?.parentId ?? null };
    }),
  };
}

async function officesById(db: Db) {
  return new Map(officeCatalogue(await findPublicPlaces(db)).map((o) => [o.id, o]));
}

/** GET /v1/boards/{token}: the board's name and intro. */
export async function getBoard({ db }: { db: Db }) {
  const siteRow = await findBoardSite(db);
  return { name: siteRow?.organization ?? 'Day One', content: siteRow ? renderMarkdown(siteRow.bodyMd) : '' };
}

/**
 * GET /v1/boards/{token}/jobs as JSON text written piece by piece: every public job post,
 * newest first, with `meta.total`. Greenhouse does not page this list, so neither do we; the
 * jobs are read a page at a time and never held in memory together.
 */
export async function listBoardJobs({ db, publicUrl, content }: { db: Db; publicUrl: string; content: boolean }): Promise<AsyncIterable<string>> {
  const ctx = await boardContext(db, publicUrl);
  const offices = content ? await officesById(db) : new Map<number, Office>();
  return (async function* write() {
    yield '{"jobs":[';
    let total = 0;
    for await (const page of streamPublicJobs(db, 500)) {
      const items = page.map((job) => JSON.stringify(content ? jobWithContent(job, ctx, offices) : jobSummary(job, ctx)));
      if (items.length === 0) continue;
      yield (total ? ',' : '') + items.join(',');
      total += items.length;
    }
    yield `],"meta":{"total":${total}}}`;
  })();
}

type Field = { name: string; type: 'input_text' | 'input_file' | 'textarea' | 'multi_value_single_select' | 'multi_value_multi_select'; values: Array<{ value: number; label: string }> };
const field = (name: string, type: Field['type'], values: Field['values'] = []): Field => ({ name, type, values });
const question = (label: string, required: boolean, fields: Field[]) => ({ required, label, description: null, fields });

/** The application fields every job asks for, named as Greenhouse names them. */
const STANDARD_QUESTIONS = [
  question('First Name', true, [field('first_name', 'input_text')]),
  question('Last Name', true, [field('last_name', 'input_text')]),
  question('Email', true, [field('email', 'input_text')]),
  question('Phone', false, [field('phone', 'input_text')]),
  question('Resume/CV', true, [field('resume', 'input_file'), field('resume_text', 'textarea')]),
  question('Cover Letter', false, [field('cover_letter', 'input_file'), field('cover_letter_text', 'textarea')]),
];

/** A screening question as a Greenhouse custom question; choices are valued by their position. */
export function screeningQuestion(q: ScreeningQuestion & { id: number }) {
  const name = `question_${q.id}`;
  const choices = q.options.map((label, value) => ({ value, label }));
  switch (q.kind) {
    case 'long_text':
      return question(q.label, q.required, [field(name, 'textarea')]);
    case 'yes_no':
      return question(q.label, q.required, [field(name, 'multi_value_single_select', [{ value: 1, label: 'Yes' }, { value: 0, label: 'No' }])]);
    case 'single_choice':
      return question(q.label, q.required, [field(name, 'multi_value_single_select', choices)]);
    case 'multiple_choice':
      return question(q.label, q.required, [field(`${name}[]`, 'multi_value_multi_select', choices)]);
    default:
      return question(q.label, q.required, [field(name, 'input_text')]);
  }
}

/** GET /v1/boards/{token}/jobs/{id}: one public job post, or undefined. */
export async function getBoardJob({
  db,
  publicUrl,
  id,
  questions,
  payTransparency,
}: {
  db: Db;
  publicUrl: string;
  id: number;
  questions: boolean;
  payTransparency: boolean;
}) {
  const [job] = await findJobsByIds(db, [id], { publicOnly: true });
  if (!job) return undefined;
  const [ctx, offices] = await Promise.all([boardContext(db, publicUrl), officesById(db)]);
  return {
    ...jobWithContent(job, ctx, offices),
    ...(questions
      ? {
          questions: [...STANDARD_QUESTIONS, ...job.questions.map(screeningQuestion)],
          location_questions: [],
          compliance: [],
          demographic_questions: null,
        }
      : {}),
    ...(payTransparency
      ? {
          pay_input_ranges: job.pay
            ? [
                {
                  min_cents: Math.round(job.pay.min * 100),
                  max_cents: Math.round(job.pay.max * 100),
                  currency_type: job.pay.currency,
                  title: `Pay range (${PAY_UNIT_LABELS[job.pay.unit]})`,
                  blurb: null,
                },
              ]
            : [],
        }
      : {}),
  };
}

type JobSummary = ReturnType<typeof jobSummary>;

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** Every public job's summary, grouped by team and by office, read a page at a time. */
async function summariesByGroup(db: Db, ctx: BoardContext) {
  const byTeam = new Map<number, JobSummary[]>();
  const byOfficeAndTeam = new Map<string, JobSummary[]>();
  for await (const page of streamPublicJobs(db, 500)) {
    for (const job of page) {
      const summary = jobSummary(job, ctx);
      const teamId = ctx.teamIds.get(job.team.slug)!;
      append(byTeam, teamId, summary);
      for (const officeId of jobOfficeIds(job)) append(byOfficeAndTeam, `${officeId}:${teamId}`, summary);
    }
  }
  return { byTeam, byOfficeAndTeam };
}

/** GET /v1/boards/{token}/departments: every team with its public jobs, as a list or as trees. */
export async function listDepartments({ db, publicUrl, renderAs }: { db: Db; publicUrl: string; renderAs: RenderAs }) {
  const ctx = await boardContext(db, publicUrl);
  const { byTeam } = await summariesByGroup(db, ctx);
  return {
    departments: ctx.teams.map((team) => {
      const jobs = byTeam.get(team.id) ?? [];
      return renderAs === 'tree' ? { id: team.id, name: team.name, jobs, children: [] } : { id: team.id, name: team.name, jobs, parent_id: null, child_ids: [] };
    }),
  };
}

/** GET /v1/boards/{token}/offices: every office with every department and its jobs there, as a list or as trees. */
export async function listOffices({ db, publicUrl, renderAs }: { db: Db; publicUrl: string; renderAs: RenderAs }) {
  const ctx = await boardContext(db, publicUrl);
  const [{ byOfficeAndTeam }, catalogue] = await Promise.all([summariesByGroup(db, ctx), findPublicPlaces(db).then(officeCatalogue)]);
  const departments = (office: Office) =>
    ctx.teams.map((team) => {
      const jobs = byOfficeAndTeam.get(`${office.id}:${team.id}`) ?? [];
      return renderAs === 'tree' ? { id: team.id, name: team.name, jobs, children: [] } : { id: team.id, name: team.name, jobs, parent_id: null, child_ids: [] };
    });
  if (renderAs === 'list') {
    return {
      offices: catalogue.map((office) => ({ id: office.id, name: office.name, location: office.location, departments: departments(office), parent_id: office.parentId, child_ids: office.childIds })),
    };
  }
  type Node = { id: number; name: string; location: string; departments: ReturnType<typeof departments>; children: Node[] };
  const node = (office: Office): Node => ({
    id: office.id,
    name: office.name,
    location: office.location,
    departments: departments(office),
    children: catalogue.filter((o) => o.parentId === office.id).map(node),
  });
  return { offices: catalogue.filter((o) => o.parentId === null).map(node) };
}
