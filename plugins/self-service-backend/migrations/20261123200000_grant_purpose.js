// @ts-check

/**
 * Grants get a purpose: 'apply' (every grant so far, bound to the approved
 * plan) or 'destroy' (minted when a tear-down starts; not bound to a plan,
 * since a destroy plan is made against the live state). A request may then
 * hold one grant of each purpose, so the one-grant-per-request constraint
 * becomes one per request and purpose.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('grants', table => {
    table
      .string('purpose', 16)
      .notNullable()
      .defaultTo('apply')
      .comment("'apply' or 'destroy'");
  });
  await knex.schema.alterTable('grants', table => {
    table.dropUnique(['request_id'], 'grants_request_uniq');
    table.unique(['request_id', 'purpose'], { indexName: 'grants_request_purpose_uniq' });
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // Destroy grants have no place in the older schema.
  await knex('grants').where({ purpose: 'destroy' }).delete();
  await knex.schema.alterTable('grants', table => {
    table.dropUnique(['request_id', 'purpose'], 'grants_request_purpose_uniq');
    table.unique(['request_id'], { indexName: 'grants_request_uniq' });
  });
  await knex.schema.alterTable('grants', table => {
    table.dropColumn('purpose');
  });
};
