export { DataFolder, UnknownTableError, defaultDataRoot } from './data-folder.ts';
export { findDataFiles, formatOf, type DataFileFormat, type DataFileRef } from './find-data-files.ts';
export { loadDataFile, parseDataFile, type LoadedTable } from './load-table.ts';
export { DataFileError, type ColumnInfo, type TableInfo } from './table-info.ts';
export { tableNameFor, sanitizeIdentifier } from './table-name.ts';
export { DATA_LIMITS, type DataLimits } from './limits.ts';
