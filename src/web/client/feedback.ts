// Progressive enhancement of the feedback form: a few seconds after you stop typing (and at
// least every so often while you keep typing), the form's own fields — the anti-forgery token
// among them — are posted to its draft address, and "Draft saved at HH:MM" is said in the live
// region. Submitting is never done here. Without this script, the "Save draft" button does the same.

interface DraftAnswer {
  ok?: boolean;
  savedAt?: string;
  message?: string;
}

/** Quiet time after the last change before saving. */
const QUIET_MS = 3000;
/** While typing goes on, save at least this often. */
const MAX_WAIT_MS = 20000;

const form = document.querySelector<HTMLFormElement>('form[data-feedback-autosave]');
if (form) enhance(form);

function enhance(root: HTMLFormElement): void {
  const url = root.dataset.draftUrl;
  const live = document.getElementById('feedback-live');
  if (!url || !live) return;

  let timer: number | undefined;
  let firstChangeAt = 0;
  let saving = false;
  let again = false;
  let submitting = false;

  function say(message: string): void {
    if (live) live.textContent = message;
  }

  const hhmm = (iso: string) => {
    const at = new Date(iso);
    return `${String(at.getHours()).padStart(2, '0')}:${String(at.getMinutes()).padStart(2, '0')}`;
  };

  async function save(): Promise<void> {
    timer = undefined;
    firstChangeAt = 0;
    if (submitting) return;
    if (saving) {
      again = true;
      return;
    }
    saving = true;
    try {
      const body = new URLSearchParams();
      for (const [name, value] of new FormData(root)) if (typeof value === 'string') body.append(name, value);
      const response = await fetch(url!, {
        method: 'POST',
        body,
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      });
      const answer = (await response.json().catch(() => ({}))) as DraftAnswer;
      if (response.ok && answer.savedAt) say(`Draft saved at ${hhmm(answer.savedAt)}`);
      else if (response.status === 401) say('Your session has ended, so the draft was not saved. Copy your text, sign in again and paste it back.');
      else say(`The draft was not saved: ${answer.message ?? 'please use “Save draft”.'}`);
    } catch {
      say('The draft could not be saved (no connection?). Your text is still here; try “Save draft”.');
    } finally {
      saving = false;
      if (again) {
        again = false;
        schedule();
      }
    }
  }

  function schedule(): void {
    const now = Date.now();
    if (!firstChangeAt) firstChangeAt = now;
    if (timer !== undefined) window.clearTimeout(timer);
    const wait = Math.max(0, Math.min(QUIET_MS, firstChangeAt + MAX_WAIT_MS - now));
    timer = window.setTimeout(() => void save(), wait);
  }

  root.addEventListener('input', schedule);
  root.addEventListener('change', schedule);
  root.addEventListener('submit', () => {
    // The form posts itself now; a late autosave must not race it.
    submitting = true;
    if (timer !== undefined) window.clearTimeout(timer);
  });
}
