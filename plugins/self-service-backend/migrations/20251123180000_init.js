// @ts-check

/**
 * Requests, decisions, grants, the per-team ledger lock row and the
 * append-only event log.
 *
 * JSON values are stored as text so that SQLite and PostgreSQL behave the
 * same; the store parses them. Money is a decimal so sums stay exact.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('requests', table => {
    table.comment('Self-service requests, one per template run that recorded one');
    table.uuid('id').primary();
    table.string('template_ref', 255).notNullable();
    table.string('template_uid', 200).nullable();
    table.string('template_steps_hash', 64).notNullable();
    table.text('parameters').notNullable().comment('JSON object');
    table.string('parameters_hash', 64).notNullable();
    table.string('requester', 255).notNullable();
    table.string('team', 255).notNullable();
    table.string('environment', 32).notNullable();
    table.string('category', 100).nullable();
    table.text('justification').nullable();
    table.text('findings').notNullable().comment('JSON array');
    table.text('cost').notNullable().comment('JSON cost estimate');
    table.decimal('monthly_cost', 18, 4).notNullable().defaultTo(0);
    table.text('plan_summary').nullable().comment('JSON plan summary');
    table.string('plan_hash', 64).nullable();
    table.text('approval_policy').notNullable().comment('JSON approval policy');
    table
      .boolean('self_approval_allowed')
      .notNullable()
      .defaultTo(false)
      .comment('Policy allows self-approval and the environment is not production');
    table.integer('current_stage').nullable();
    table.string('state', 32).notNullable();
    table.text('state_reason').nullable();
    table.timestamp('decision_deadline', { useTz: true }).nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.string('task_id', 200).notNullable();
    table.string('step_id', 200).notNullable();
    table.text('task_ids').notNullable().comment('JSON array of scaffolder task ids');
    table.text('resource_refs').notNullable().comment('JSON array of entity refs');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    // One request per scaffolder step run: retries of the step are idempotent.
    table.unique(['task_id', 'step_id'], { indexName: 'requests_task_step_uniq' });
    table.index(['team', 'state'], 'requests_team_state_idx');
    table.index(['requester'], 'requests_requester_idx');
    table.index(['state', 'decision_deadline'], 'requests_state_deadline_idx');
    table.index(['created_at', 'id'], 'requests_created_id_idx');
  });

  await knex.schema.createTable('request_approvers', table => {
    table.comment('Approver groups per stage, denormalised so the inbox is one indexed query');
    table
      .uuid('request_id')
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.integer('stage').notNullable();
    table.string('group_ref', 255).notNullable();
    table.primary(['request_id', 'stage', 'group_ref']);
    table.index(['group_ref', 'stage'], 'request_approvers_group_idx');
  });

  await knex.schema.createTable('decisions', table => {
    table.comment('Approver decisions; one per approver per stage');
    table.uuid('id').primary();
    table
      .uuid('request_id')
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.string('approver', 255).notNullable();
    table.integer('stage').notNullable();
    table.string('decision', 16).notNullable();
    table.text('comment').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['request_id', 'stage', 'approver'], {
      indexName: 'decisions_request_stage_approver_uniq',
    });
  });

  await knex.schema.createTable('grants', table => {
    table.comment('Single-use apply grants; only a sha256 of the token is kept');
    table.uuid('id').primary();
    table
      .uuid('request_id')
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.string('token_hash', 64).notNullable();
    table.string('template_ref', 255).notNullable();
    table.string('parameters_hash', 64).notNullable();
    table.string('plan_hash', 64).nullable();
    table.string('task_id', 200).nullable().comment('The task allowed to redeem');
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.timestamp('consumed_at', { useTz: true }).nullable();
    table.string('consumed_by_task', 200).nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.unique(['request_id'], { indexName: 'grants_request_uniq' });
  });

  await knex.schema.createTable('team_ledger', table => {
    table.comment(
      'One row per team, locked while a request checks and reserves budget; ' +
        'usage itself is summed from requests by state, so it cannot drift',
    );
    table.string('team', 255).primary();
    table.timestamp('created_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('events', table => {
    table.comment('Append-only audit log of request changes');
    table.bigIncrements('seq');
    table.uuid('id').notNullable().unique();
    table
      .uuid('request_id')
      .notNullable()
      .references('id')
      .inTable('requests')
      .onDelete('CASCADE');
    table.string('actor', 255).notNullable();
    table.string('from_state', 32).nullable();
    table.string('to_state', 32).nullable();
    table.string('action', 64).notNullable();
    table.text('reason').nullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.index(['request_id', 'seq'], 'events_request_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('events');
  await knex.schema.dropTable('team_ledger');
  await knex.schema.dropTable('grants');
  await knex.schema.dropTable('decisions');
  await knex.schema.dropTable('request_approvers');
  await knex.schema.dropTable('requests');
};
