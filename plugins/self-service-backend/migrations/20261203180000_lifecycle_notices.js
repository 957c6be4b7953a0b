// @ts-check

/**
 * What the lifecycle sweeps did once and must not do again: per request
 * (`request_notices`: an expiry warning at each configured point, an
 * approver reminder or escalation per stage, the TTL tear-down) and per
 * team and period (`team_notices`: usage alerts). The primary keys make
 * each one a single insert that only one backend instance wins.
 *
 * The event log outlives the request it describes: deleting a pending or
 * rejected request's record keeps its events (the audit log), so the
 * events' foreign key to requests goes.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('request_notices', table => {
    table.comment('Lifecycle actions taken once per request');
    table
      .uuid('request_id')
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table
      .string('kind', 64)
      .notNullable()
      .comment('e.g. expiry-warning:86400000, reminder:0, escalation:0, ttl-destroy');
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.primary(['request_id', 'kind']);
  });

  await knex.schema.createTable('team_notices', table => {
    table.comment('Lifecycle alerts sent once per team and period');
    table.string('team', 255).notNullable();
    table.string('kind', 64).notNullable().comment('e.g. budget-80, budget-100, quota');
    table.string('period', 16).notNullable().comment('e.g. 2026-12');
    table.timestamp('sent_at', { useTz: true }).notNullable();
    table.primary(['team', 'kind', 'period']);
  });

  await knex.schema.alterTable('events', table => {
    table.dropForeign(['request_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  // Events of deleted requests cannot point at them again.
  await knex('events')
    .whereNotIn('request_id', knex('requests').select('id'))
    .delete();
  await knex.schema.alterTable('events', table => {
    table
      .foreign('request_id')
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
  });
  await knex.schema.dropTable('team_notices');
  await knex.schema.dropTable('request_notices');
};
