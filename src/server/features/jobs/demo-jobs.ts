import type { EmploymentType, JobInput, JobStatus, PayUnit, QuestionKind, WorkplaceType } from '../../../shared/contracts/jobs.ts';
import cityList from './data/cities.json' with { type: 'json' };

/**
 * Demo jobs: a pure, seeded generator of realistic postings for `dayone seed`, the first start
 * of the server and the import benchmark. The same options always give the same jobs, and
 * `generateDemoJobsChunks` yields exactly the jobs of `generateDemoJobs`, cut into chunks.
 *
 * Vocabulary note for the search benchmark: about 15% of the jobs use the word "customer" in
 * their title, description or qualifications; the others avoid every word stemming to "custom".
 * (The team "Worldwide Operations & Customer Service" of the default pack adds the word through
 * its team name, which the search document weighs as B.)
 */
export interface DemoJobOptions {
  /** How many jobs to make. */
  count: number;
  /** Any integer; the same seed gives the same jobs. */
  seed: number;
  /** Team slugs of the loaded content; jobs are spread over all of them. */
  teams: readonly string[];
  /** Principle slugs of the loaded content; each job emphasizes 3–5 (fewer when fewer exist). */
  principles: readonly string[];
  /** The moment postings are dated back from (over the last 90 days). */
  now: Date;
}

/** The share of jobs whose text says "customer", for tests and the search benchmark. */
export const CUSTOMER_SHARE = 0.15;

export interface City {
  city: string;
  region: string | null;
  country: string;
  latitude: number;
  longitude: number;
  currency: string;
}

/** The world cities demo jobs are placed in, with their currency. */
export const CITIES: readonly City[] = cityList;

/** Makes `count` demo jobs at once; for large counts use generateDemoJobsChunks. */
export function generateDemoJobs(options: DemoJobOptions): JobInput[] {
  const jobs: JobInput[] = [];
  for (const chunk of generateDemoJobsChunks({ ...options, chunkSize: Math.max(1, options.count) })) jobs.push(...chunk);
  return jobs;
}

/** Yields the demo jobs in arrays of at most `chunkSize`, so a million of them never sit in memory together. */
export function* generateDemoJobsChunks(options: DemoJobOptions & { chunkSize: number }): Generator<JobInput[]> {
  const { count, chunkSize } = options;
  if (options.teams.length === 0) throw new Error('demo jobs need at least one team');
  if (!Number.isInteger(chunkSize) || chunkSize < 1) throw new Error('chunkSize must be a positive integer');
  const make = jobMaker(options);
  for (let done = 0; done < count; ) {
    const size = Math.min(chunkSize, count - done);
    const chunk = new Array<JobInput>(size);
    for (let i = 0; i < size; i++) chunk[i] = make();
    done += size;
    yield chunk;
  }
}

/** mulberry32: a tiny, fast, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// Role families: a title stem, how it reads at each level, its category, pay and vocabulary.

interface Family {
  /** The full stem, e.g. "Software Development Engineer". */
  stem: string;
  /** A short form some titles use instead, e.g. "SDE". */
  abbr?: string;
  category: string;
  /** What the role is about, completing "…to help us …". */
  focus: string;
  /** Levels this family is posted at, inclusive. */
  levels: [number, number];
  /** "Director, <lead>" and "Vice President, <lead>" at levels 7 and 8. */
  lead?: string;
  /** Pay in USD at mid level (level 4): per year, or per hour when `hourly`. */
  pay: number;
  hourly?: boolean;
  /** Team slugs of the default pack this family is usually posted by; empty = any team. */
  teams: string[];
  specialties: string[];
  duties: string[];
  basic: string[];
  preferred: string[];
  /** True when the title itself says "customer". */
  customerTitle?: boolean;
}

const TECH = ['amazon-web-services', 'amazon-devices-services', 'e-commerce', 'kindle-digital-content-publishing', 'north-america-international-retail', 'seller-service'];
const BUSINESS = ['business-development', 'north-america-international-retail', 'seller-service', 'e-commerce', 'amazon-web-services'];
const OPS = ['worldwide-operations-customer-service', 'north-america-international-retail'];

const SOFTWARE_DUTIES = [
  'Design, build and operate services that stay fast and available under heavy, spiky traffic.',
  'Write clear, well-tested code and review the code of your peers with care.',
  'Break large, ambiguous problems into small releases that ship every week.',
  'Own the on-call health of your services and remove the causes of pages, not just the symptoms.',
  'Choose between competing designs by measuring them, and write down why you chose.',
  'Mentor newer engineers and lift the quality of the whole team through design reviews.',
  'Automate deployments, rollbacks and capacity planning so that releases are boring.',
];
const SOFTWARE_BASIC = [
  'Bachelor’s degree in computer science or equivalent practical experience',
  'Professional experience programming in at least one modern language such as Java, Go, Rust, Python or TypeScript',
  'Experience designing and shipping software used in production',
  'Knowledge of data structures, algorithms and complexity analysis',
];
const SOFTWARE_PREFERRED = [
  'Experience with distributed systems at scale',
  'Experience running services on a public cloud',
  'Familiarity with relational and key-value databases',
  'Experience with Kubernetes or other container platforms',
  'Contributions to open-source projects',
];

const FAMILIES: Family[] = [
  {
    stem: 'Software Development Engineer',
    abbr: 'SDE',
    category: 'Software Development',
    focus: 'build the software behind products used in every time zone',
    levels: [1, 8],
    lead: 'Software Development',
    pay: 165000,
    teams: TECH,
    specialties: ['Payments', 'Search', 'Checkout', 'Identity', 'Storage', 'Networking', 'Compute', 'Devices', 'Alexa', 'Ads', 'Pricing', 'Catalog', 'Reading Apps'],
    duties: SOFTWARE_DUTIES,
    basic: SOFTWARE_BASIC,
    preferred: SOFTWARE_PREFERRED,
  },
  {
    stem: 'Front-End Engineer',
    abbr: 'FEE',
    category: 'Front-End Development',
    focus: 'craft fast, accessible web interfaces',
    levels: [2, 6],
    pay: 150000,
    teams: TECH,
    specialties: ['Design Systems', 'Checkout', 'Console', 'Reading Experience', 'Accessibility'],
    duties: [
      'Build accessible pages and components that load quickly on slow phones and flaky networks.',
      'Work with designers to turn sketches into interfaces people enjoy using.',
      'Measure real-user performance and shave kilobytes and milliseconds where they matter.',
      'Keep a shared component library healthy, documented and tested.',
    ],
    basic: ['Professional experience with HTML, CSS and JavaScript or TypeScript', 'Experience building web applications with a modern framework'],
    preferred: ['Deep knowledge of WCAG accessibility guidelines', 'Experience with server-side rendering', 'An eye for typography and layout'],
  },
  {
    stem: 'Software Development Engineer in Test',
    abbr: 'SDET',
    category: 'Quality Assurance',
    focus: 'make releases safe through automated testing',
    levels: [2, 6],
    pay: 140000,
    teams: TECH,
    specialties: ['Devices', 'Mobile Apps', 'Payments', 'Firmware'],
    duties: [
      'Build test frameworks and harnesses that developers actually want to use.',
      'Find the failure modes nobody thought of, then automate checks for them.',
      'Track quality metrics across releases and push back when a launch is not ready.',
      'Reduce flaky tests until the build is something the team trusts.',
    ],
    basic: ['Experience writing automated tests in a general-purpose language', 'Understanding of test strategy: unit, integration and end-to-end'],
    preferred: ['Experience testing embedded or mobile software', 'Experience with load and chaos testing'],
  },
  {
    stem: 'Site Reliability Engineer',
    abbr: 'SRE',
    category: 'Systems Engineering',
    focus: 'keep large fleets reliable, observable and efficient',
    levels: [2, 7],
    lead: 'Reliability Engineering',
    pay: 160000,
    teams: ['amazon-web-services', 'e-commerce', 'amazon-devices-services'],
    specialties: ['Databases', 'Edge Network', 'Observability', 'Fleet Management'],
    duties: [
      'Define service level objectives with service owners and hold the line on them.',
      'Lead incident response calmly and write blameless reviews that lead to real fixes.',
      'Build tooling that spots trouble in metrics and logs before people notice it.',
      'Plan capacity a year ahead and cut the cost of running idle machines.',
    ],
    basic: ['Experience operating Linux systems in production', 'Scripting or programming experience in Python, Go or a similar language'],
    preferred: ['Experience with infrastructure as code', 'Knowledge of networking from TCP up to HTTP', 'Experience on an on-call rotation for a high-traffic service'],
  },
  {
    stem: 'Security Engineer',
    category: 'Security',
    focus: 'protect systems and data from attackers',
    levels: [3, 8],
    lead: 'Security',
    pay: 170000,
    teams: ['amazon-web-services', 'amazon-devices-services', 'e-commerce'],
    specialties: ['Application Security', 'Threat Detection', 'Cryptography', 'Incident Response'],
    duties: [
      'Review designs and code for weaknesses before they reach production.',
      'Build detection that separates real attacks from the noise of normal traffic.',
      'Run threat-modeling sessions with engineering teams and follow the findings through.',
      'Respond to security events and lead the remediation work that follows.',
    ],
    basic: ['Experience in application, network or cloud security', 'Ability to read and reason about code in at least one language'],
    preferred: ['Experience with penetration testing or red-team work', 'Security certifications such as OSCP or CISSP'],
  },
  {
    stem: 'Data Engineer',
    category: 'Data Engineering',
    focus: 'build the pipelines and models that turn raw events into trustworthy data',
    levels: [2, 6],
    pay: 145000,
    teams: TECH,
    specialties: ['Analytics Platform', 'Streaming', 'Marketplace', 'Finance Data'],
    duties: [
      'Design data models and pipelines that analysts and scientists can rely on.',
      'Move batch jobs to streaming where freshness matters and keep costs in check.',
      'Write data-quality checks that catch problems before dashboards show them.',
      'Document datasets so that people can find and understand them on their own.',
    ],
    basic: ['Experience with SQL and data modeling', 'Experience building ETL pipelines with Spark, Flink or similar tools'],
    preferred: ['Experience with columnar warehouses', 'Experience with orchestration tools such as Airflow'],
  },
  {
    stem: 'Business Intelligence Engineer',
    abbr: 'BIE',
    category: 'Business Intelligence',
    focus: 'answer business questions with data and clear dashboards',
    levels: [2, 6],
    pay: 125000,
    teams: [...BUSINESS, ...OPS, 'finance-administration'],
    specialties: ['Operations', 'Marketing', 'Finance', 'Supply Chain'],
    duties: [
      'Build dashboards that leaders read every week to run the business.',
      'Dig into anomalies in the numbers and explain what really happened.',
      'Define metrics with partners so that every team counts the same thing the same way.',
      'Automate manual reports and give the time back to the analysts.',
    ],
    basic: ['Experience writing complex SQL', 'Experience with a visualization tool such as QuickSight, Tableau or Power BI'],
    preferred: ['Experience with Python or R for analysis', 'Experience presenting findings to senior leaders'],
  },
  {
    stem: 'Data Scientist',
    category: 'Data Science',
    focus: 'use statistics and experiments to guide decisions',
    levels: [2, 7],
    lead: 'Data Science',
    pay: 160000,
    teams: [...TECH, 'worldwide-operations-customer-service', 'finance-administration'],
    specialties: ['Forecasting', 'Experimentation', 'Pricing', 'Fraud', 'Personalization'],
    duties: [
      'Design and analyze controlled experiments and explain the results in plain words.',
      'Build forecasting models that planners use to commit real money.',
      'Turn vague business questions into measurable hypotheses.',
      'Partner with engineers to move models from notebooks into production.',
    ],
    basic: ['Master’s degree in statistics, mathematics, economics or a related field, or equivalent experience', 'Experience with Python or R and SQL'],
    preferred: ['PhD in a quantitative field', 'Experience with causal inference methods', 'Publications in applied statistics'],
  },
  {
    stem: 'Applied Scientist',
    category: 'Machine Learning Science',
    focus: 'apply machine learning to problems that matter',
    levels: [3, 8],
    lead: 'Applied Science',
    pay: 185000,
    teams: ['amazon-web-services', 'amazon-devices-services', 'e-commerce', 'kindle-digital-content-publishing'],
    specialties: ['Natural Language Processing', 'Computer Vision', 'Recommendations', 'Speech', 'Generative AI'],
    duties: [
      'Research, prototype and ship machine learning models that serve millions of requests.',
      'Read the literature, try the promising ideas quickly and drop the rest.',
      'Build evaluation sets that tell you honestly whether a model got better.',
      'Publish internally and externally and help others learn from your work.',
    ],
    basic: ['PhD or Master’s degree in machine learning, computer science or a related field', 'Experience training and evaluating deep learning models'],
    preferred: ['Publications at venues such as NeurIPS, ICML, ACL or CVPR', 'Experience with large language models', 'Experience with distributed training'],
  },
  {
    stem: 'Research Scientist',
    category: 'Research Science',
    focus: 'push the state of the art and bring it into products',
    levels: [4, 8],
    lead: 'Research',
    pay: 180000,
    teams: ['amazon-web-services', 'amazon-devices-services', 'worldwide-operations-customer-service'],
    specialties: ['Robotics', 'Operations Research', 'Quantum Computing', 'Economics'],
    duties: [
      'Frame open research questions and define the experiments that could answer them.',
      'Build simulation and optimization models for very large systems.',
      'Collaborate with universities and publish what you learn.',
    ],
    basic: ['PhD in a relevant field or equivalent research experience', 'A record of research published or applied in practice'],
    preferred: ['Experience with mixed-integer programming or stochastic optimization', 'Experience with robotics hardware'],
  },
  {
    stem: 'Product Manager',
    abbr: 'PM',
    category: 'Product Management',
    focus: 'decide what to build next and why',
    levels: [3, 8],
    lead: 'Product Management',
    pay: 155000,
    teams: [...TECH, 'business-development'],
    specialties: ['Payments', 'Subscriptions', 'Mobile', 'Search', 'Seller Tools', 'Marketplace', 'Smart Home'],
    duties: [
      'Write crisp documents that explain the problem, the bet and how we will know it worked.',
      'Talk to the people who use the product every week and bring what you learn back to the team.',
      'Set priorities with engineering and design and say no to good ideas that are not the best ones.',
      'Own the roadmap and the metrics of your area end to end.',
    ],
    basic: ['Experience managing products from idea to launch', 'Excellent written and spoken communication'],
    preferred: ['An MBA or a technical degree', 'Experience with pricing and packaging', 'Experience in a marketplace business'],
  },
  {
    stem: 'Product Manager - Technical',
    abbr: 'PM-T',
    category: 'Product Management',
    focus: 'shape developer-facing platforms and services',
    levels: [4, 7],
    pay: 165000,
    teams: ['amazon-web-services', 'amazon-devices-services'],
    specialties: ['Developer Tools', 'Serverless', 'Databases', 'APIs'],
    duties: [
      'Define the APIs and features of a platform together with its engineers.',
      'Write launch plans, public documentation outlines and pricing proposals.',
      'Turn feedback from developers into a prioritized backlog.',
    ],
    basic: ['Experience as a product manager for technical products', 'A technical background that lets you debate designs with engineers'],
    preferred: ['Experience as a software engineer', 'Experience with cloud platforms'],
  },
  {
    stem: 'Technical Program Manager',
    abbr: 'TPM',
    category: 'Program Management',
    focus: 'drive large technical programs across many teams',
    levels: [3, 7],
    lead: 'Technical Program Management',
    pay: 150000,
    teams: TECH,
    specialties: ['Infrastructure', 'Launches', 'Data Centers', 'Hardware'],
    duties: [
      'Plan programs that span dozens of teams and keep them moving toward one date.',
      'Spot risks early, make trade-offs visible and escalate with a recommendation.',
      'Improve the mechanisms teams use to plan, track and review their work.',
    ],
    basic: ['Experience managing technical programs with many dependencies', 'Technical depth in software or hardware'],
    preferred: ['Experience with agile and lean methods', 'A PMP or similar certification'],
  },
  {
    stem: 'Program Manager',
    category: 'Program Management',
    focus: 'turn strategy into plans that many teams can follow',
    levels: [3, 6],
    pay: 120000,
    teams: [],
    specialties: ['Operations', 'Sustainability', 'Vendor Programs', 'Training', 'Launches'],
    duties: [
      'Build plans, track milestones and report progress in short written updates.',
      'Bring partners from different teams to agreement on scope and dates.',
      'Find bottlenecks in a process and redesign it with the people who run it.',
    ],
    basic: ['Experience managing cross-functional programs', 'Strong skills with spreadsheets and planning tools'],
    preferred: ['Experience with Lean or Six Sigma', 'Experience working across time zones'],
  },
  {
    stem: 'Solutions Architect',
    abbr: 'SA',
    category: 'Solutions Architecture',
    focus: 'help organizations design and migrate their systems to the cloud',
    levels: [3, 7],
    lead: 'Solutions Architecture',
    pay: 160000,
    teams: ['amazon-web-services'],
    specialties: ['Financial Services', 'Healthcare', 'Public Sector', 'Startups', 'Analytics', 'Migrations'],
    duties: [
      'Lead architecture workshops and draw the designs on a whiteboard with the people who will build them.',
      'Build proofs of concept that show a design works before anyone commits to it.',
      'Speak at events and write articles about patterns you have seen work.',
      'Bring field feedback to the service teams so the platform keeps improving.',
    ],
    basic: ['Experience designing distributed applications or infrastructure', 'Experience presenting technical ideas to mixed audiences'],
    preferred: ['A professional-level cloud certification', 'Experience as a developer or systems engineer', 'Knowledge of industry compliance rules'],
  },
  {
    stem: 'UX Designer',
    category: 'UX Design',
    focus: 'design experiences that are simple, useful and accessible',
    levels: [2, 7],
    lead: 'User Experience',
    pay: 140000,
    teams: TECH,
    specialties: ['Mobile', 'Voice', 'Devices', 'Reading', 'Seller Tools'],
    duties: [
      'Sketch, prototype and test ideas quickly, then refine the ones that work.',
      'Run usability sessions and turn what you see into design changes.',
      'Contribute patterns to the shared design system and keep them consistent.',
    ],
    basic: ['A portfolio that shows your process as well as the results', 'Experience with Figma or similar design tools'],
    preferred: ['Experience designing for voice or small screens', 'Knowledge of accessibility standards'],
  },
  {
    stem: 'UX Researcher',
    category: 'User Research',
    focus: 'understand how people use what we build and why',
    levels: [3, 6],
    pay: 135000,
    teams: TECH,
    specialties: ['Mobile', 'Devices', 'Marketplace'],
    duties: [
      'Plan and run interviews, diary studies and surveys.',
      'Synthesize findings into insights product teams act on.',
      'Teach teams to ask better research questions themselves.',
    ],
    basic: ['Experience with qualitative and quantitative research methods', 'A degree in HCI, psychology, anthropology or a related field'],
    preferred: ['Experience with international research', 'Experience with statistics for survey analysis'],
  },
  {
    stem: 'Hardware Engineer',
    category: 'Hardware Development',
    focus: 'design the electronics and mechanics of new devices',
    levels: [2, 7],
    lead: 'Hardware Engineering',
    pay: 160000,
    teams: ['amazon-devices-services'],
    specialties: ['Power', 'RF', 'Displays', 'Audio', 'Silicon Validation'],
    duties: [
      'Design circuits and boards from schematic to production test.',
      'Work with factories on yield, reliability and cost.',
      'Debug prototypes in the lab with oscilloscopes, analyzers and patience.',
    ],
    basic: ['Degree in electrical, mechanical or computer engineering', 'Experience taking hardware from prototype to mass production'],
    preferred: ['Experience with low-power design', 'Experience with wireless certification'],
  },
  {
    stem: 'Financial Analyst',
    category: 'Finance',
    focus: 'plan, forecast and explain the numbers of the business',
    levels: [2, 6],
    pay: 105000,
    teams: ['finance-administration', ...BUSINESS, ...OPS],
    specialties: ['FP&A', 'Operations Finance', 'Retail Finance', 'Cloud Finance'],
    duties: [
      'Build the monthly forecast and explain every variance against plan.',
      'Model the return of investments and challenge the assumptions behind them.',
      'Prepare the financial sections of business reviews.',
    ],
    basic: ['Degree in finance, accounting or economics', 'Advanced skills in Excel and financial modeling'],
    preferred: ['A CPA or CFA', 'Experience with SQL'],
  },
  {
    stem: 'Accountant',
    category: 'Accounting',
    focus: 'keep the books accurate, timely and audit-ready',
    levels: [2, 6],
    lead: 'Accounting',
    pay: 90000,
    teams: ['finance-administration'],
    specialties: ['General Ledger', 'Revenue', 'Payables', 'Tax'],
    duties: [
      'Own parts of the monthly close and reconcile the accounts you own.',
      'Document controls and work with auditors on their requests.',
      'Improve close processes with automation.',
    ],
    basic: ['Degree in accounting', 'Knowledge of US GAAP or IFRS'],
    preferred: ['A CPA or ACCA', 'Experience with SAP or Oracle ERP'],
  },
  {
    stem: 'Corporate Counsel',
    category: 'Legal',
    focus: 'give practical legal advice that lets the business move quickly and safely',
    levels: [4, 8],
    lead: 'Legal',
    pay: 210000,
    teams: ['legal'],
    specialties: ['Privacy', 'Employment', 'Commercial Contracts', 'Intellectual Property', 'Competition', 'Litigation'],
    duties: [
      'Draft and negotiate agreements and explain the risks in plain language.',
      'Advise product teams early so that legal questions never block a launch.',
      'Track changes in law and regulation and brief the teams they affect.',
    ],
    basic: ['A law degree and admission to practice in at least one jurisdiction', 'Experience at a law firm or in-house legal team'],
    preferred: ['Experience with technology or retail businesses', 'Experience working with regulators'],
  },
  {
    stem: 'Paralegal',
    category: 'Legal',
    focus: 'keep legal matters organized and moving',
    levels: [2, 4],
    pay: 75000,
    teams: ['legal'],
    specialties: ['Corporate', 'Trademarks', 'Litigation Support'],
    duties: ['Maintain records of entities, filings and deadlines.', 'Prepare first drafts of routine documents.', 'Coordinate with outside counsel.'],
    basic: ['A paralegal certificate or equivalent experience', 'Meticulous attention to detail'],
    preferred: ['Experience with e-discovery tools'],
  },
  {
    stem: 'Area Manager',
    category: 'Fulfillment & Operations Management',
    focus: 'lead shifts of associates who move packages safely and on time',
    levels: [3, 5],
    pay: 75000,
    teams: OPS,
    specialties: ['Inbound', 'Outbound', 'Last Mile', 'Sort Center'],
    duties: [
      'Lead a shift of dozens of associates and coach them every day.',
      'Walk the floor, find safety risks and remove them.',
      'Meet daily targets for volume, quality and cost, and explain misses honestly.',
    ],
    basic: ['A bachelor’s degree or experience leading teams', 'Willingness to work nights, weekends and holidays'],
    preferred: ['Experience in logistics or manufacturing', 'Experience with Lean tools'],
  },
  {
    stem: 'Warehouse Operations Manager',
    category: 'Fulfillment & Operations Management',
    focus: 'run a fulfillment building with hundreds of people',
    levels: [5, 8],
    lead: 'Fulfillment Operations',
    pay: 120000,
    teams: OPS,
    specialties: ['Fulfillment Center', 'Sortation', 'Grocery', 'Returns'],
    duties: [
      'Lead area managers and their teams through peak season.',
      'Own the safety record, the budget and the delivery promise of a building.',
      'Launch new processes and equipment without slowing the floor down.',
    ],
    basic: ['Experience managing managers in operations', 'Experience with budgets and workforce planning'],
    preferred: ['An MBA', 'Experience launching a new site'],
  },
  {
    stem: 'Fulfillment Center Associate',
    abbr: 'FC Associate',
    category: 'Warehouse',
    focus: 'pick, pack and ship orders',
    levels: [2, 2],
    pay: 19,
    hourly: true,
    teams: OPS,
    specialties: ['Day Shift', 'Night Shift', 'Weekend Shift'],
    duties: ['Pick, pack and ship orders with scanners and clear instructions.', 'Work safely with your team in a fast-moving building.', 'Learn new skills and move up to trainer or process assistant.'],
    basic: ['Aged 18 or over', 'Able to lift up to 22 kilograms and stand for a full shift'],
    preferred: ['Experience in a warehouse or retail store'],
  },
  {
    stem: 'Delivery Station Associate',
    category: 'Warehouse',
    focus: 'sort and stage packages for delivery',
    levels: [2, 2],
    pay: 20,
    hourly: true,
    teams: OPS,
    specialties: ['Early Morning Shift', 'Evening Shift'],
    duties: ['Sort packages onto routes before the vans leave.', 'Load carts and keep the station tidy and safe.'],
    basic: ['Aged 18 or over', 'Able to work on your feet for several hours'],
    preferred: ['Experience in delivery or logistics'],
  },
  {
    stem: 'Maintenance Technician',
    category: 'Facilities & Maintenance',
    focus: 'keep conveyors, robots and buildings running',
    levels: [2, 4],
    pay: 32,
    hourly: true,
    teams: OPS,
    specialties: ['Robotics', 'Controls', 'Electrical'],
    duties: ['Repair conveyors, sorters and robotic drives.', 'Carry out preventive maintenance on a schedule.', 'Troubleshoot electrical and mechanical faults.'],
    basic: ['Experience in industrial maintenance', 'Knowledge of electrical safety'],
    preferred: ['PLC programming experience', 'A trade certification'],
  },
  {
    stem: 'Customer Service Associate',
    category: 'Customer Service',
    focus: 'solve problems for customers by phone, chat and email',
    levels: [2, 3],
    pay: 17,
    hourly: true,
    teams: ['worldwide-operations-customer-service', 'seller-service'],
    specialties: ['Bilingual', 'Technical Support', 'Accounts'],
    duties: ['Answer customer contacts with empathy and fix the problem the first time.', 'Write down what customers tell you so teams can fix root causes.'],
    basic: ['A high school diploma or equivalent', 'Clear written and spoken communication'],
    preferred: ['Experience in a contact center', 'A second language'],
    customerTitle: true,
  },
  {
    stem: 'Seller Support Associate',
    category: 'Seller Support',
    focus: 'help independent sellers run their stores',
    levels: [2, 4],
    pay: 18,
    hourly: true,
    teams: ['seller-service'],
    specialties: ['Account Health', 'Listings', 'Payments'],
    duties: ['Help sellers with listings, payments and account questions.', 'Spot patterns in seller questions and suggest fixes to the tools.'],
    basic: ['A high school diploma or equivalent', 'Comfort with web tools and spreadsheets'],
    preferred: ['Experience selling online', 'A second language'],
  },
  {
    stem: 'Account Manager',
    category: 'Sales',
    focus: 'grow long relationships with the organizations we serve',
    levels: [3, 6],
    pay: 120000,
    teams: BUSINESS,
    specialties: ['Enterprise', 'Advertising', 'Strategic Sellers', 'Public Sector'],
    duties: ['Build account plans and review them with your clients every quarter.', 'Bring the right specialists in at the right moment.', 'Forecast revenue honestly and explain the pipeline.'],
    basic: ['Experience in B2B sales or account management', 'Strong negotiation skills'],
    preferred: ['Experience selling technology services', 'Fluency in a second language'],
  },
  {
    stem: 'Business Development Manager',
    abbr: 'BDM',
    category: 'Business Development',
    focus: 'open new partnerships and markets',
    levels: [4, 8],
    lead: 'Business Development',
    pay: 145000,
    teams: ['business-development', 'amazon-devices-services', 'kindle-digital-content-publishing'],
    specialties: ['Partnerships', 'Publishers', 'Brands', 'Emerging Markets'],
    duties: ['Find, negotiate and close partnerships that grow new lines of business.', 'Model deal economics and defend them in reviews.', 'Hand over launched partners smoothly to account teams.'],
    basic: ['Experience negotiating commercial agreements', 'Experience with financial modeling'],
    preferred: ['An MBA', 'Experience in media or consumer electronics'],
  },
  {
    stem: 'Marketing Manager',
    category: 'Marketing',
    focus: 'tell people about products in ways they remember',
    levels: [3, 7],
    lead: 'Marketing',
    pay: 125000,
    teams: [...BUSINESS, 'kindle-digital-content-publishing', 'amazon-devices-services'],
    specialties: ['Brand', 'Growth', 'Product Marketing', 'Lifecycle', 'Events'],
    duties: ['Plan campaigns across channels and measure what each one really adds.', 'Write messaging that is clear, true and a little surprising.', 'Manage agencies and budgets.'],
    basic: ['Experience in marketing roles', 'Experience measuring campaign performance'],
    preferred: ['Experience with marketing experiments', 'Experience in consumer technology'],
  },
  {
    stem: 'Content Editor',
    category: 'Editorial, Writing & Content',
    focus: 'choose, shape and polish stories for readers',
    levels: [2, 6],
    pay: 85000,
    teams: ['kindle-digital-content-publishing'],
    specialties: ['Romance', 'Thrillers', 'Non-Fiction', 'Translations', 'Comics'],
    duties: ['Acquire and edit manuscripts with authors.', 'Plan publishing schedules with marketing.', 'Review translations for tone and accuracy.'],
    basic: ['Experience in editing or publishing', 'A great ear for language'],
    preferred: ['Experience with digital publishing', 'A second language'],
  },
  {
    stem: 'Technical Writer',
    category: 'Editorial, Writing & Content',
    focus: 'write documentation developers can follow the first time',
    levels: [3, 6],
    pay: 115000,
    teams: ['amazon-web-services', 'amazon-devices-services'],
    specialties: ['APIs', 'Developer Guides', 'Tutorials'],
    duties: ['Write guides, references and tutorials with working code samples.', 'Test every step you document.', 'Maintain style and structure across a large documentation set.'],
    basic: ['A portfolio of technical writing', 'Ability to read code'],
    preferred: ['Experience with docs-as-code tooling'],
  },
  {
    stem: 'Recruiter',
    category: 'Human Resources',
    focus: 'find and hire people who make their teams stronger',
    levels: [3, 6],
    pay: 100000,
    teams: [],
    specialties: ['Technical', 'Operations', 'University', 'Executive'],
    duties: ['Source candidates and run fair, well-structured interview loops.', 'Coach hiring managers on assessing principles as well as skills.', 'Track hiring metrics and improve them.'],
    basic: ['Experience in full-cycle recruiting', 'Strong organization skills'],
    preferred: ['Experience hiring engineers', 'Experience with an applicant tracking system'],
  },
  {
    stem: 'HR Business Partner',
    abbr: 'HRBP',
    category: 'Human Resources',
    focus: 'help leaders build healthy, high-performing organizations',
    levels: [4, 7],
    pay: 130000,
    teams: [],
    specialties: ['Operations', 'Technology', 'Finance'],
    duties: ['Advise leaders on organization design, performance and career growth.', 'Handle sensitive employee matters with fairness.', 'Use data to find where teams need support.'],
    basic: ['Experience as an HR generalist or business partner', 'Knowledge of local employment law'],
    preferred: ['Experience in fast-growing organizations'],
  },
  {
    stem: 'Supply Chain Analyst',
    category: 'Supply Chain',
    focus: 'make sure products are in the right place at the right time',
    levels: [2, 5],
    pay: 95000,
    teams: [...OPS, 'amazon-devices-services'],
    specialties: ['Inventory Planning', 'Transportation', 'Demand Planning'],
    duties: ['Plan inventory across the network and rebalance it when demand shifts.', 'Analyze carrier performance and cost.', 'Build models that size buffer stock.'],
    basic: ['Degree in supply chain, engineering or a quantitative field', 'Advanced Excel skills'],
    preferred: ['Experience with SQL', 'APICS certification'],
  },
  {
    stem: 'Vendor Manager',
    category: 'Buying, Planning & Instock',
    focus: 'grow selection with the brands we buy from',
    levels: [3, 6],
    pay: 105000,
    teams: ['north-america-international-retail', 'e-commerce'],
    specialties: ['Grocery', 'Electronics', 'Toys', 'Fashion', 'Home'],
    duties: ['Negotiate terms with vendors and hold them to the plan.', 'Manage assortment, pricing and in-stock rates for a category.', 'Review weekly business results with leadership.'],
    basic: ['Experience in buying, category or vendor management', 'Strong analytical skills'],
    preferred: ['An MBA', 'Experience in retail'],
  },
  {
    stem: 'Economist',
    category: 'Economics',
    focus: 'bring economic reasoning to pricing, labor and policy questions',
    levels: [4, 7],
    pay: 175000,
    teams: ['finance-administration', 'worldwide-operations-customer-service', 'amazon-web-services'],
    specialties: ['Pricing', 'Labor Markets', 'Forecasting'],
    duties: ['Build econometric models and explain their limits.', 'Advise leaders on trade-offs using evidence.'],
    basic: ['PhD in economics', 'Experience with econometrics in R, Python or Stata'],
    preferred: ['Publications in applied economics'],
  },
  {
    stem: 'Database Administrator',
    abbr: 'DBA',
    category: 'Database Administration',
    focus: 'keep critical databases fast, safe and recoverable',
    levels: [3, 6],
    pay: 135000,
    teams: ['amazon-web-services', 'finance-administration', 'e-commerce'],
    specialties: ['PostgreSQL', 'Oracle', 'Migrations'],
    duties: ['Tune queries, indexes and configuration.', 'Test backups by restoring them.', 'Plan upgrades with no downtime.'],
    basic: ['Experience administering relational databases', 'Strong SQL skills'],
    preferred: ['Experience with PostgreSQL internals', 'Scripting experience'],
  },
  {
    stem: 'IT Support Engineer',
    category: 'IT Support',
    focus: 'keep colleagues productive with working laptops, networks and tools',
    levels: [2, 5],
    pay: 80000,
    teams: [],
    specialties: ['Workplace Technology', 'Networking', 'Endpoint Security'],
    duties: ['Resolve hardware and software tickets quickly and kindly.', 'Set up meeting rooms and office networks.', 'Automate device setup.'],
    basic: ['Experience in IT support', 'Knowledge of Windows, macOS and Linux'],
    preferred: ['Networking certifications', 'Scripting experience'],
  },
];

const CATEGORY_COUNT = new Set(FAMILIES.map((f) => f.category)).size;
/** The number of distinct categories demo jobs use (for tests). */
export const DEMO_CATEGORY_COUNT = CATEGORY_COUNT;

// ---------------------------------------------------------------------------------------------
// Description fragments. None says "custom…" except the CUSTOMER lines, so the share is exact.

const OPENERS = [
  'We are looking for a {title} to {focus}.',
  'As a {title}, you will {focus}.',
  'Our team is hiring a {title} who wants to {focus}.',
  'Join us as a {title} and {focus}.',
  'This {title} role exists to {focus}.',
  'We need a {title} who is excited to {focus}.',
];
const CONTEXTS = [
  'The team is small enough that everyone knows the whole system and large enough to take on ambitious goals.',
  'We work in two-pizza teams that own their services from the first line of code to the last support ticket.',
  'You will join a group that launched its first version last year and is now growing quickly.',
  'Our work touches millions of people every day, so small improvements add up to a lot.',
  'We write six-page narratives instead of slide decks, and we read them together in silence before we talk.',
  'The business is growing in new countries, and the systems and processes have to grow with it.',
  'We favor simple designs that can be explained on one page over clever ones nobody can maintain.',
  'Many of the problems here have no playbook yet; you will help write it.',
  'The team spans several time zones, so we rely on clear written communication.',
  'We measure ourselves by outcomes, not by hours or lines of code.',
  'Leaders here are expected to be right a lot, and to change their minds when the data says so.',
  'We keep a healthy on-call rotation and fix the causes of operational pain every sprint.',
];
const GROWTH = [
  'You will have a mentor from your first week and a clear path to the next level.',
  'We budget time for learning: courses, conferences and internal talks.',
  'People here move between teams often, so your career can grow in many directions.',
  'Your manager will meet you weekly and write your development plan with you.',
  'You will work with some of the most experienced people in the field and learn from them.',
];
const CUSTOMER_LINES = [
  'Everything we do begins with the people we serve and what they actually need.',
  'You will meet customers regularly and bring their stories back to the team.',
  'Customer feedback decides our priorities more than any internal opinion.',
  'We measure success by how much easier we make life for our customers.',
];
const CLOSERS = [
  'We welcome applications from people of every background and are glad to provide accommodations during the interview process.',
  'If you are not sure you meet every qualification, apply anyway: we hire for potential as well as experience.',
  'We are an equal opportunity employer and value the different perspectives our colleagues bring.',
  'Flexible working arrangements are available for many roles; ask your recruiter about them.',
  'Benefits include health coverage, parental leave and a retirement plan, with details that vary by country.',
];
const WORKPLACE_LINES: Record<WorkplaceType, string[]> = {
  on_site: ['This role is based in {city}, where the team works together in the office every day.', 'You will work on site in {city} with the rest of the team.'],
  hybrid: ['This is a hybrid role: the team meets in the {city} office three days a week.', 'You will split your week between home and our {city} office.'],
  remote: ['This role is fully remote within {countries}; we meet in person a few times a year.', 'You can work from anywhere in {countries}, with occasional travel to team gatherings.'],
};

const GENERIC_PREFERRED = [
  'Experience working with teams in several countries',
  'A track record of mentoring others',
  'Experience writing clear documents for senior audiences',
  'Comfort with ambiguity and fast-changing priorities',
];
const CUSTOMER_QUALIFICATION = 'Experience working directly with customers';

// ---------------------------------------------------------------------------------------------
// Screening questions, by kind.

type QuestionTemplate = { label: string; kind: QuestionKind; options?: string[] };
const QUESTIONS: QuestionTemplate[] = [
  { kind: 'yes_no', label: 'Are you legally authorized to work in {country}?' },
  { kind: 'yes_no', label: 'Will you now or in the future require sponsorship for a work visa?' },
  { kind: 'yes_no', label: 'Are you willing to work nights, weekends or holidays when needed?' },
  { kind: 'short_text', label: 'What is the link to your portfolio, GitHub or LinkedIn profile?' },
  { kind: 'short_text', label: 'When could you start?' },
  { kind: 'long_text', label: 'Tell us about a time you disagreed with a decision and what you did about it.' },
  { kind: 'long_text', label: 'Describe the project you are proudest of and your part in it.' },
  { kind: 'single_choice', label: 'How many years of relevant experience do you have?', options: ['Less than 1', '1 to 3', '3 to 5', '5 to 10', 'More than 10'] },
  { kind: 'single_choice', label: 'Which shift would you prefer?', options: ['Early morning', 'Day', 'Evening', 'Night', 'No preference'] },
  { kind: 'multiple_choice', label: 'Which languages can you work in professionally?', options: ['English', 'Spanish', 'German', 'French', 'Japanese', 'Mandarin', 'Hindi', 'Portuguese'] },
  { kind: 'multiple_choice', label: 'Which of these tools have you used at work?', options: ['SQL', 'Excel', 'Python', 'Tableau', 'Jira'] },
  { kind: 'number', label: 'What is your notice period, in weeks?' },
  { kind: 'number', label: 'How many people have you managed directly?' },
];

// ---------------------------------------------------------------------------------------------
// Pay: local units per US dollar of Seattle-level pay (exchange rate × local market level).

const PAY_SCALE: Record<string, number> = {
  USD: 1, CAD: 1.05, MXN: 7.5, BRL: 2.4, ARS: 350, CLP: 420, COP: 1800, GBP: 0.58, EUR: 0.62, CHF: 0.85, SEK: 6.8,
  DKK: 4.6, PLN: 1.6, CZK: 9.5, RON: 1.8, ILS: 2.6, AED: 2.5, SAR: 2.6, EGP: 12, ZAR: 7, KES: 55, NGN: 400, INR: 28,
  SGD: 0.95, JPY: 85, KRW: 850, CNY: 3, TWD: 18, PHP: 18, IDR: 6000, VND: 9000, AUD: 1.15, NZD: 1.1,
};
const LEVEL_PAY = [0, 0.45, 0.7, 0.85, 1, 1.3, 1.7, 2.2, 3];
const LEVEL_WEIGHTS = [0, 4, 14, 20, 26, 20, 9, 5, 2];
const DAY = 86_400_000;

/** Three significant digits: 163,482 → 163,000; 19.37 → 19.4. */
function roundPay(value: number): number {
  const step = 10 ** (Math.floor(Math.log10(value)) - 2);
  return Math.round(Math.round(value / step) * step * 100) / 100;
}

function jobMaker({ seed, teams, principles, now }: DemoJobOptions): () => JobInput {
  const random = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number) => random() < p;
  const sample = <T>(list: readonly T[], n: number): T[] => {
    const pool = [...list];
    const out: T[] = [];
    while (out.length < n && pool.length) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0]!);
    return out;
  };
  const weighted = <T>(entries: ReadonlyArray<readonly [T, number]>): T => {
    let total = 0;
    for (const [, w] of entries) total += w;
    let r = random() * total;
    for (const [value, w] of entries) if ((r -= w) < 0) return value;
    return entries[entries.length - 1]![0];
  };

  // Which families each team posts; a team not in the default pack posts any family.
  const familiesOf = new Map<string, { all: Family[]; plain: Family[] }>();
  for (const team of teams) {
    const own = FAMILIES.filter((f) => f.teams.length === 0 || f.teams.includes(team));
    const all = own.length > FAMILIES.filter((f) => f.teams.length === 0).length ? own : FAMILIES;
    familiesOf.set(team, { all, plain: all.filter((f) => !f.customerTitle) });
  }
  const byCountry = new Map<string, City[]>();
  for (const c of CITIES) byCountry.set(c.country, [...(byCountry.get(c.country) ?? []), c]);
  const nowMs = now.getTime();

  return () => {
    const team = pick(teams);
    const mentionsCustomer = chance(CUSTOMER_SHARE);
    const families = familiesOf.get(team)!;
    const family = pick(mentionsCustomer ? families.all : families.plain);
    const allowed = LEVEL_WEIGHTS.map((w, level) => [level, level >= family.levels[0] && level <= family.levels[1] ? w : 0] as const);
    const level = weighted(allowed);
    const title = titleFor(family, level, random, pick, chance);

    const employmentType: EmploymentType =
      level === 1
        ? 'INTERN'
        : weighted<EmploymentType>(
            family.hourly
              ? [['FULL_TIME', 60], ['PART_TIME', 20], ['TEMPORARY', 12], ['PER_DIEM', 5], ['OTHER', 3]]
              : [['FULL_TIME', 90], ['CONTRACTOR', 4], ['PART_TIME', 3], ['TEMPORARY', 1.5], ['VOLUNTEER', 0.5], ['OTHER', 1]],
          );
    const workplaceType: WorkplaceType = family.hourly || family.category.startsWith('Fulfillment') ? 'on_site' : weighted([['on_site', 50], ['hybrid', 33], ['remote', 17]]);

    // Locations: 1–3 cities, mostly in one country; remote jobs list applicant countries instead.
    const home = random() < 0.35 ? pick(byCountry.get('US')!) : pick(CITIES);
    const locations: City[] = [home];
    const extra = weighted([[0, 70], [1, 20], [2, 10]]);
    for (let i = 0; i < extra; i++) {
      const candidate = chance(0.7) ? pick(byCountry.get(home.country)!) : pick(CITIES);
      if (!locations.includes(candidate)) locations.push(candidate);
    }
    const applicantCountries = workplaceType === 'remote' ? [...new Set([home.country, ...sample(CITIES, int(0, 2)).map((c) => c.country)])] : [];
    const jobLocations = workplaceType === 'remote' && chance(0.5) ? [] : locations;

    let pay: JobInput['pay'] = null;
    if (employmentType !== 'VOLUNTEER' && chance(0.93)) {
      const unit: PayUnit = family.hourly ? 'HOUR' : employmentType === 'CONTRACTOR' && chance(0.5) ? 'HOUR' : 'YEAR';
      const usd = unit === 'HOUR' && !family.hourly ? family.pay / 2080 : family.pay;
      const mid = usd * (family.hourly ? 1 + (level - 2) * 0.15 : LEVEL_PAY[level]!) * PAY_SCALE[home.currency]! * (0.9 + random() * 0.2);
      pay = { currency: home.currency, min: roundPay(mid * 0.85), max: roundPay(mid * (1.15 + random() * 0.25)), unit };
    }

    const status = weighted<JobStatus>([['open', 92], ['draft', 2], ['pending_approval', 1.5], ['on_hold', 1.5], ['closed_filled', 2], ['closed_cancelled', 1]]);
    const unposted = status === 'draft' || status === 'pending_approval';
    const postedAt = unposted ? null : new Date(Math.floor((nowMs - random() * 90 * DAY) / 60_000) * 60_000);
    const closesAt = postedAt && chance(0.08) ? new Date(postedAt.getTime() + int(21, 120) * DAY) : null;

    const where = workplaceType === 'remote' ? { countries: applicantCountries.join(', ') } : { city: jobLocations[0]!.city };
    const description = describe({ family, title, workplaceType, where, mentionsCustomer, pick, chance, sample, int });
    const basicQualifications = sample(family.basic, Math.min(family.basic.length, int(2, 4)));
    const preferredQualifications = sample([...family.preferred, ...GENERIC_PREFERRED], int(1, 3));
    if (mentionsCustomer && chance(0.3)) preferredQualifications.push(CUSTOMER_QUALIFICATION);

    const questions = sample(QUESTIONS, weighted([[0, 35], [1, 30], [2, 20], [3, 15]])).map((q) => ({
      label: q.label.replace('{country}', home.country),
      kind: q.kind,
      required: chance(0.6),
      ...(q.options ? { options: q.options } : {}),
    }));

    return {
      title,
      team,
      category: family.category,
      level,
      employmentType,
      workplaceType,
      applicantCountries,
      locations: jobLocations.map(({ city, region, country, latitude, longitude }) => ({ city, region, country, latitude, longitude })),
      description,
      basicQualifications,
      preferredQualifications,
      pay,
      principles: sample(principles, int(3, 5)),
      status,
      headcount: family.hourly ? int(5, 200) : weighted([[1, 85], [2, 10], [int(3, 10), 5]]),
      postedAt,
      closesAt,
      questions,
    };
  };
}

function titleFor(family: Family, level: number, random: () => number, pick: <T>(l: readonly T[]) => T, chance: (p: number) => boolean): string {
  const stem = family.abbr && chance(0.3) ? family.abbr : family.stem;
  const specialty = chance(0.4) ? `, ${pick(family.specialties)}` : '';
  if (level >= 7 && family.lead) return `${level === 7 ? 'Director' : pick(['Vice President', 'VP'])}, ${family.lead}${specialty}`;
  if (level === 1) return `${family.stem} Intern${specialty}`;
  if (family.hourly) return `${family.stem}${specialty}`;
  // Roman-numeral tracks for engineering and science; seniority words for the rest.
  const numbered = /Engineer|Scientist|Analyst|Accountant/.test(family.stem) && !/Manager|Architect/.test(family.stem);
  if (numbered && level <= 4 && random() < 0.7) return `${stem} ${['I', 'I', 'I', 'II', 'III'][level]}${specialty}`;
  const prefix = ['', '', '', '', '', pick(['Senior ', 'Sr. ']), 'Principal ', 'Senior Principal ', 'Distinguished '][level]!;
  return `${prefix}${stem}${specialty}`;
}

function describe(o: {
  family: Family;
  title: string;
  workplaceType: WorkplaceType;
  where: { city?: string; countries?: string };
  mentionsCustomer: boolean;
  pick: <T>(l: readonly T[]) => T;
  chance: (p: number) => boolean;
  sample: <T>(l: readonly T[], n: number) => T[];
  int: (a: number, b: number) => number;
}): string {
  const { family, pick, sample, int } = o;
  const fill = (s: string) =>
    s
      .replace('{title}', o.title)
      .replace('{focus}', family.focus)
      .replace('{city}', o.where.city ?? '')
      .replace('{countries}', o.where.countries ?? '');
  const intro = [fill(pick(OPENERS)), ...sample(CONTEXTS, int(1, 3))];
  if (o.mentionsCustomer) intro.splice(1, 0, pick(CUSTOMER_LINES));
  const paragraphs = [intro.join(' ')];
  paragraphs.push(`**What you will do**\n\n${sample(family.duties, Math.min(family.duties.length, int(3, 5))).map((d) => `- ${d}`).join('\n')}`);
  paragraphs.push([fill(pick(WORKPLACE_LINES[o.workplaceType])), ...sample(GROWTH, int(1, 2))].join(' '));
  if (o.chance(0.7)) paragraphs.push(pick(CLOSERS));
  return paragraphs.join('\n\n');
}
