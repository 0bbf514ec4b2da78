export { insertJournalEntry, getJournalEntry, getJournalEntryByKey, setJournalPosting, listJournalEntries, type JournalEntryRow, type NewJournalEntryRow } from './journal.js';
