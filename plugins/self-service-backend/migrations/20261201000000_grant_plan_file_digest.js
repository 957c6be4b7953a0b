// @ts-check

/**
 * An auto-approval grant may be bound to the sha256 of the saved plan file
 * its task made: the apply step of that task then redeems only with that
 * exact file, so it can apply the file without reading its change set back
 * (the request recorded the change set that file holds). Null for every
 * other grant, which redeems as before.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('grants', table => {
    table
      .string('plan_file_digest', 64)
      .nullable()
      .comment('sha256 of the plan file an auto-approval grant may apply');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('grants', table => {
    table.dropColumn('plan_file_digest');
  });
};
