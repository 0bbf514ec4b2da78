/** Live counts pushed by the hub (GET /v1/ops/stream). */
export type LiveSummary = Record<string, number>;

/** What a page gets when it is drawn. */
export interface PageContext {
  /** Parts of the path after the page's own (e.g. an id). */
  params: string[];
  search: URLSearchParams;
  navigate(path: string): void;
  /** Draws the page again (after an action). */
  refresh(): void;
  /** Called when the live counts change while this page is shown. */
  onLive(listener: (summary: LiveSummary, previous: LiveSummary | undefined) => void): void;
}

/** A page of the console. */
export interface Page {
  title: string;
  render(ctx: PageContext): Promise<Node>;
}

/** True when any of the named live counts changed. */
export function changed(summary: LiveSummary, previous: LiveSummary | undefined, keys: string[]): boolean {
  return previous !== undefined && keys.some((k) => summary[k] !== previous[k]);
}
