export { insertJournalEntries, getJournalEntry, getJournalEntryByKey, setJournalPosting, listJournalEntries, type JournalEntryRow, type NewJournalEntryRow } from './journal.js';
