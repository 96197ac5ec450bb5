// What the summary is set to: the arm the others are paired against and the accuracy threshold. A store of
// its own, since the summary table sets it and the JSON export writes it.
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';

export interface SummaryChoice {
  /** The reference arm's label; null, or a label the experiment does not have: its first arm. */
  reference: string | null;
  /** Held-out accuracy in [0, 1] that "iterations to the threshold" counts up to. */
  threshold: number;
}

export const DEFAULT_SUMMARY_CHOICE: SummaryChoice = { reference: null, threshold: 0.5 };

export const summaryChoiceStore = createStore<SummaryChoice>()(() => DEFAULT_SUMMARY_CHOICE);

/** Subscribes a component to one slice of the choice. */
export function useSummaryChoice<T>(selector: (choice: SummaryChoice) => T): T {
  return useStore(summaryChoiceStore, selector);
}
