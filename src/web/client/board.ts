// Progressive enhancement of the pipeline board: drag a card to another column, or focus a card
// and press "]" (next stage) or "[" (previous stage). Both post the card's own Move form (its
// fields, the anti-forgery token among them) asking for JSON, then move the card and update the
// counts in place and say what happened in the live region. When the server refuses, a message
// shows and nothing moves. Without this script, each card's "Move to" select and button do the same.

interface MoveAnswer {
  ok?: boolean;
  stage?: string;
  counts?: Record<string, number>;
  message?: string;
}

const board = document.querySelector<HTMLElement>('[data-board="movable"]');

if (board) enhance(board);

function enhance(root: HTMLElement): void {
  const stages: string[] = JSON.parse(root.dataset.stages ?? '[]');
  const labels: Record<string, string> = JSON.parse(root.dataset.labels ?? '{}');
  const label = (stage: string) => labels[stage] ?? stage;
  const live = document.getElementById('board-live');
  const errorBox = document.getElementById('board-error');
  document.getElementById('board-keys')?.removeAttribute('hidden');

  let busy = false;
  let dragged: HTMLElement | null = null;

  function announce(message: string): void {
    if (!live) return;
    // Emptied first, so that the same words twice in a row are read twice.
    live.textContent = '';
    window.setTimeout(() => {
      live.textContent = message;
    }, 50);
  }

  function showError(message: string): void {
    if (!errorBox) return;
    errorBox.textContent = message;
    errorBox.hidden = false;
  }

  function clearError(): void {
    if (!errorBox) return;
    errorBox.hidden = true;
    errorBox.textContent = '';
  }

  const nameOf = (card: HTMLElement) => card.querySelector('.board-card__name')?.textContent?.trim() ?? 'The application';

  function updateCounts(counts: Record<string, number>): void {
    for (const el of Array.from(document.querySelectorAll<HTMLElement>('[data-count-for]'))) {
      el.textContent = String(counts[el.dataset.countFor ?? ''] ?? 0);
    }
  }

  function bumpMatching(stage: string, by: number): void {
    for (const el of Array.from(document.querySelectorAll<HTMLElement>(`[data-matching-for="${CSS.escape(stage)}"]`))) {
      el.textContent = String(Math.max(0, Number(el.textContent ?? '0') + by));
    }
  }

  /** Puts the card in its new column (first, as the newest arrival), or takes it off the page when that column is not shown. */
  function place(card: HTMLElement, to: string): void {
    const from = card.dataset.stage ?? '';
    card.dataset.stage = to;
    bumpMatching(from, -1);
    bumpMatching(to, 1);
    const days = card.querySelector('[data-days]');
    if (days) days.textContent = '0 days in stage';
    const select = card.querySelector<HTMLSelectElement>('select[name="to"]');
    if (select) {
      select.replaceChildren(
        ...stages
          .filter((s) => s !== to)
          .map((s) => {
            const option = document.createElement('option');
            option.value = s;
            option.textContent = label(s);
            return option;
          }),
      );
    }
    if (to === 'hired') {
      // Hired is final: nothing moves it again.
      card.querySelector('.board-card__actions')?.remove();
      card.removeAttribute('draggable');
    }
    const list = root.querySelector<HTMLOListElement>(`.board__cards[data-stage="${CSS.escape(to)}"]`);
    if (list) {
      list.prepend(card);
      card.focus();
    } else {
      const next = (card.nextElementSibling ?? card.previousElementSibling) as HTMLElement | null;
      const heading = card.closest('.board__column')?.querySelector<HTMLElement>('.board__title');
      card.remove();
      if (next) next.focus();
      else if (heading) {
        heading.tabIndex = -1;
        heading.focus();
      }
    }
  }

  async function move(card: HTMLElement, to: string): Promise<void> {
    const form = card.querySelector<HTMLFormElement>('form[data-move-form]');
    const from = card.dataset.stage ?? '';
    if (!form || busy || to === from) return;
    busy = true;
    card.setAttribute('aria-busy', 'true');
    clearError();
    const fields = new URLSearchParams();
    for (const [key, value] of new FormData(form)) if (typeof value === 'string') fields.append(key, value);
    fields.set('to', to);
    const name = nameOf(card);
    try {
      const response = await fetch(form.action, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
        body: fields.toString(),
      });
      const answer = (await response.json().catch(() => ({}))) as MoveAnswer;
      if (!response.ok || !answer.ok) {
        const why = answer.message ?? `The server answered ${response.status}.`;
        showError(`${name} was not moved. ${why}`);
        return;
      }
      place(card, to);
      if (answer.counts) updateCounts(answer.counts);
      const count = answer.counts?.[to];
      announce(`Moved ${name} to ${label(to)}.${count === undefined ? '' : ` ${label(to)} now has ${count}.`}`);
    } catch {
      showError(`${name} was not moved: the request did not reach the server. Check your connection and try again.`);
    } finally {
      busy = false;
      card.removeAttribute('aria-busy');
    }
  }

  // Keys: only while the card itself has focus, so typing in its select or in a filter never moves anything.
  root.addEventListener('keydown', (event) => {
    const card = event.target as HTMLElement;
    if (!card.classList.contains('board-card') || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key !== ']' && event.key !== '[') return;
    event.preventDefault();
    if (!card.querySelector('form[data-move-form]')) return;
    const at = stages.indexOf(card.dataset.stage ?? '');
    const target = stages[event.key === ']' ? at + 1 : at - 1];
    if (at === -1 || !target) {
      announce(event.key === ']' ? 'This is the last stage.' : 'This is the first stage.');
      return;
    }
    void move(card, target);
  });

  // Drag and drop between columns.
  root.addEventListener('dragstart', (event) => {
    const card = (event.target as HTMLElement).closest<HTMLElement>('.board-card[draggable="true"]');
    if (!card || !event.dataTransfer) return;
    dragged = card;
    event.dataTransfer.effectAllowed = 'move';
    event.dataTransfer.setData('text/plain', card.id);
    card.classList.add('is-dragging');
  });

  const columnOf = (event: Event) => (event.target as HTMLElement).closest<HTMLElement>('.board__column');
  const accepts = (column: HTMLElement | null): column is HTMLElement =>
    Boolean(column && dragged && column.dataset.stage !== dragged.dataset.stage && stages.includes(column.dataset.stage ?? ''));

  root.addEventListener('dragover', (event) => {
    const column = columnOf(event);
    if (!accepts(column)) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    column.classList.add('is-drop-target');
  });

  root.addEventListener('dragleave', (event) => {
    const column = columnOf(event);
    if (column && !column.contains(event.relatedTarget as Node | null)) column.classList.remove('is-drop-target');
  });

  root.addEventListener('drop', (event) => {
    const column = columnOf(event);
    if (!accepts(column) || !dragged) return;
    event.preventDefault();
    column.classList.remove('is-drop-target');
    void move(dragged, column.dataset.stage ?? '');
  });

  root.addEventListener('dragend', () => {
    dragged?.classList.remove('is-dragging');
    dragged = null;
    for (const column of Array.from(root.querySelectorAll('.is-drop-target'))) column.classList.remove('is-drop-target');
  });
}
