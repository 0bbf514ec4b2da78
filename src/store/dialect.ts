/** Which SQL engine backs the store. */
export type Dialect = 'sqlite' | 'postgres';
