import { Field, RecordBatch, Schema, Struct, Table, makeData, type Data } from 'apache-arrow';
import { maybeDictionaryEncode } from '../../arrow/dictionary.ts';

/**
 * A one-batch Table from named column Data. Built through a Schema rather than
 * `new Table({name: vector})` because object keys that look like integers ("2024") would be
 * reordered by JavaScript, and the file's column order must survive.
 */
export function tableFromColumns(names: string[], plainColumns: Data[], rows: number): Table {
	const columns = plainColumns.map(maybeDictionaryEncode);
	const fields = names.map((name, i) => new Field(name, columns[i].type, true));
	const schema = new Schema(fields);
	const batchData = makeData({ type: new Struct(fields), length: rows, nullCount: 0, children: columns });
	return new Table(schema, [new RecordBatch(schema, batchData)]);
}
