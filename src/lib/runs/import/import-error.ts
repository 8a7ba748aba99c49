// An import that cannot go on (a file refused as a whole: its encoding, its size, no record read);
// its message names the file. Its own file so import-runs.ts and the readers it uses share it
// without importing each other.
export class ImportError extends Error {}
