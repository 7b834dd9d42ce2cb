/**
 * Rows in COPY's text format: tab-separated columns, `\N` for NULL, and backslash,
 * tab, newline and carriage return escaped (PostgreSQL docs, "COPY", Text Format).
 */
export type CopyValue = string | number | boolean | Date | null | readonly string[];

const escapeText = (text: string): string =>
  text.replace(/[\\\t\n\r]/g, (char) => ({ "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" })[char] ?? char);

/** A text[] literal: every element double-quoted, so commas, braces and spaces stay literal. */
const arrayLiteral = (items: readonly string[]): string =>
  `{${items.map((item) => `"${item.replace(/["\\]/g, (char) => `\\${char}`)}"`).join(",")}}`;

const encodeValue = (value: CopyValue): string => {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return escapeText(arrayLiteral(value));
  return escapeText(String(value));
};

export const copyLine = (row: readonly CopyValue[]): string => `${row.map(encodeValue).join("\t")}\n`;
