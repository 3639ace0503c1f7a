export * from './content.ts';
export * from './jobs.ts';
export * from './people.ts';
export * from './mail.ts';
export * from './applications.ts';
export * from './staff.ts';
export * from './loops.ts';
