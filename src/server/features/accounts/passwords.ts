import argon2 from 'argon2';

/** OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane): about 30 ms a hash on one core. */
const ARGON2 = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Compared against when the account is unknown, so a wrong email costs as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
const timingHash = () => (dummyHash ??= argon2.hash('not a real password, only for equal timing', ARGON2));

/** The argon2id hash of a password, for candidates and staff alike. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2);
}

/** Whether `password` matches `hash`; with no hash it still spends the time of a check, then answers false. */
export async function verifyPassword(hash: string | null | undefined, password: string): Promise<boolean> {
  const matches = await argon2.verify(hash ?? (await timingHash()), password);
  return Boolean(hash) && matches;
}
