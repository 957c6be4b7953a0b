// @ts-check

/**
 * Approver rows hold group refs in lower case, the way the catalog gives a
 * caller's ownership refs, so a stage that names a group in another case
 * still reaches its members' inbox (entity refs compare case-insensitively).
 * A row whose lower-case twin already exists for the same stage is dropped.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  const mixed = await knex('request_approvers')
    .select('request_id', 'stage', 'group_ref')
    .whereRaw('group_ref <> lower(group_ref)');
  for (const row of mixed) {
    const key = { request_id: row.request_id, stage: row.stage };
    const lower = String(row.group_ref).toLowerCase();
    const twin = await knex('request_approvers')
      .where({ ...key, group_ref: lower })
      .first();
    const own = knex('request_approvers').where({
      ...key,
      group_ref: row.group_ref,
    });
    if (twin) await own.delete();
    else await own.update({ group_ref: lower });
  }
};

/**
 * The original spelling is not kept. Lower-case rows are what every version
 * of the inbox matches, so there is nothing to undo.
 */
exports.down = async function down() {};
