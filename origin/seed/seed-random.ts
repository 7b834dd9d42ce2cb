import { base, en, Faker } from "@faker-js/faker";

/**
 * The generators' only source of randomness: faker seeded once per table, so the rows
 * of one table do not shift when another table's size changes.
 */
export const seededFaker = (seed: number, table: string): Faker => {
  const faker = new Faker({ locale: [en, base] });
  faker.seed([seed, ...[...table].map((char) => char.charCodeAt(0))]);
  return faker;
};

/**
 * An index in [0, size) drawn with Zipf-like skew (exponent 1): index 0 is the most
 * popular. Real Conduits have a few prolific authors and a long tail, and so do we.
 */
export const skewedIndex = (faker: Faker, size: number): number => {
  const u = faker.number.float({ min: 0, max: 1 });
  return Math.min(size - 1, Math.floor(size ** u) - 1);
};
