import { create } from 'zustand';

export interface Notice {
  id: number;
  tone: 'info' | 'success' | 'error';
  text: string;
}

interface NoticeState {
  notices: Notice[];
  notify(tone: Notice['tone'], text: string): void;
  dismiss(id: number): void;
}

let next = 1;

/** Short-lived messages (a version logged, a move overridden); errors stay until dismissed. */
export const useNotices = create<NoticeState>((set, get) => ({
  notices: [],
  notify(tone, text) {
    const id = next++;
    // The same message twice in a row is shown once.
    const others = get().notices.filter((n) => n.text !== text);
    set({ notices: [...others.slice(-2), { id, tone, text }] });
    if (tone !== 'error') setTimeout(() => get().dismiss(id), 4000);
  },
  dismiss(id) {
    set({ notices: get().notices.filter((n) => n.id !== id) });
  },
}));

export const notify = (tone: Notice['tone'], text: string) => useNotices.getState().notify(tone, text);
