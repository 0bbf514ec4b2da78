export { insertJournalEntry, getJournalEntry, setJournalPosting, listJournalEntries, type JournalEntryRow, type NewJournalEntryRow } from './journal.js';
