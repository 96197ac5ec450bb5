import { useStore } from 'zustand';
import { createPageStore, type PageState } from './store';

/** The page's one store, reading its first setup from the address bar and writing every change back. */
export const pageStore = createPageStore(window);

/** Subscribes a component to one slice of the page's state (return a value or a stored object, never a fresh one). */
export function usePage<T>(selector: (state: PageState) => T): T {
  return useStore(pageStore, selector);
}
