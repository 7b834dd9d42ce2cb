/**
 * A Markdown table with padded columns, so it also reads as plain text in a terminal.
 * Columns of figures are right-aligned, others left-aligned, unless `align` says otherwise.
 */
export type Align = "left" | "right";

const figure = /^(n\/a|[-+]?[\d.,]+(\s?(x|%|ms|s))?(\s.*)?)$/;

export const markdownTable = (
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  align?: readonly Align[],
): string => {
  const widths = headers.map((header, column) =>
    Math.max(3, header.length, ...rows.map((row) => (row[column] ?? "").length)),
  );
  const side = (column: number): Align =>
    align?.[column] ??
    (column > 0 && rows.every((row) => (row[column] ?? "") === "" || figure.test(row[column] ?? ""))
      ? "right"
      : "left");
  const sides = headers.map((_, column) => side(column));
  const cell = (text: string, column: number) =>
    sides[column] === "right" ? text.padStart(widths[column] ?? 0) : text.padEnd(widths[column] ?? 0);
  const line = (cells: readonly string[]) => `| ${cells.map((text, column) => cell(text, column)).join(" | ")} |`;
  const rule = `| ${widths.map((width, column) => (sides[column] === "right" ? `${"-".repeat(width - 1)}:` : "-".repeat(width))).join(" | ")} |`;
  return [line(headers), rule, ...rows.map((row) => line(headers.map((_, column) => row[column] ?? "")))].join("\n");
};
