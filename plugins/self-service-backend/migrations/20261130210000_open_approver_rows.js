// @ts-check

/**
 * Marks the approver rows of the stage a request waits on (`open`), so the
 * inbox reads only the open rows of the caller's groups through an index
 * instead of testing every pending request: its cost then follows what the
 * caller may decide, not how many requests the table holds.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('request_approvers', table => {
    table
      .boolean('open')
      .notNullable()
      .defaultTo(false)
      .comment(
        "True while the request is pending_approval at this row's stage",
      );
  });
  await knex('request_approvers')
    .whereIn(
      ['request_id', 'stage'],
      knex('requests')
        .select('id', 'current_stage')
        .where('state', 'pending_approval')
        .whereNotNull('current_stage'),
    )
    .update({ open: true });
  await knex.schema.alterTable('request_approvers', table => {
    table.index(
      ['group_ref', 'open', 'request_id'],
      'request_approvers_open_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('request_approvers', table => {
    table.dropIndex(
      ['group_ref', 'open', 'request_id'],
      'request_approvers_open_idx',
    );
  });
  await knex.schema.alterTable('request_approvers', table => {
    table.dropColumn('open');
  });
};
