import { sql, type Kysely, type Migration } from 'kysely';

export const migration0009MenuFacts: Migration = {
  async up(db: Kysely<any>) {
    await sql`
      -- menu facts per item as served by default (modules/catalog/menu-facts.ts): null is unknown;
      -- caffeine_mg 0 means caffeine-free. Allergens are codes of the Korean food-labelling list.
      alter table items
        add column caffeine_mg integer check (caffeine_mg between 0 and 1000),
        add column sugar_g integer check (sugar_g between 0 and 300),
        add column kcal integer check (kcal between 0 and 3000),
        add column allergens text[] not null default '{}' check (allergens <@ array[
          'egg', 'milk', 'buckwheat', 'peanut', 'soy', 'wheat', 'mackerel', 'crab', 'shrimp', 'pork',
          'peach', 'tomato', 'sulfites', 'walnut', 'chicken', 'beef', 'squid', 'shellfish', 'pine_nut'
        ]::text[]);
    `.execute(db);
  },
};
