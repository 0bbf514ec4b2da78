import { appendTimeline, insertChannelEvents, setConnectorState, setInboxStatus, type ChannelEventRow, type Db, type NewTimelineRow } from '../../store/index.js';

/** The writes that interpreting one inbound payload produces. */
export interface ChannelFacts {
  /** Timeline entries, stamped with the commit time when applied. */
  timeline: Omit<NewTimelineRow, 'at'>[];
  channelEvents: ChannelEventRow[];
  versions: { key: string; value: string }[];
}

/** Commits what an inbound payload said, with the completion of its message. */
export async function applyChannelFacts(db: Db, connectionId: string, inboxId: string, facts: ChannelFacts, applied: boolean, now: number): Promise<void> {
  await insertChannelEvents(db, facts.channelEvents);
  await appendTimeline(db, facts.timeline.map((row) => ({ ...row, at: now })));
  for (const version of facts.versions) await setConnectorState(db, connectionId, version.key, version.value, now);
  await setInboxStatus(db, inboxId, applied ? 'processed' : 'ignored');
}
