package uk.nhs.vaccinations.dpsexport.exports;

import java.sql.ResultSet;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import uk.nhs.vaccinations.dpsexport.dps.Programme;

/**
 * Which records of a programme go in tonight's file (format doc, "Which records go in a file"),
 * found at the cost of what changed, not of what the tables hold.
 *
 * <p>The records looked at are those changed since the programme's watermark (by the source index
 * on {@code (programme_id, updated_at)}), and those still owed after a reject or an undeliverable
 * file. For each, what DPS last got is joined by record ({@code dps_export_records_by_record}),
 * whatever programme carried it: DPS keys a record by its UNIQUE_ID, so a record moved to another
 * programme goes in that programme's file as an update.
 *
 * <p>The next watermark is the earliest of the claim's own start and the start of every
 * transaction open in the database when it claims, less {@code dps.change-overlap}: a record written
 * by a transaction that commits after the claim has an {@code updated_at} no earlier than its
 * transaction's start, so the next claim still looks at it. It is also held back while an unfinished
 * export holds records: this programme's, to where that export's claim looked from; another
 * programme's, to where it looked up to, since a record it holds that has moved here since is
 * skipped until it is sent. The overlap covers timestamps the
 * vaccination service takes from its own clock rather than the database's.
 */
@Repository
public class ExportSelection {

	private static final String HELD = "(SELECT e.id FROM dps_exports e WHERE e.status IN " + ExportStatus.UNFINISHED_SQL
			+ ")";

	/** The records looked at, each once: changed since the watermark, or owed from an earlier export. */
	private static final String CANDIDATES = """
			SELECT vr.id, vr.updated_at, vr.discarded_at, vr.outcome, vr.session_id FROM vaccination_records vr
			WHERE vr.programme_id = :programmeId AND vr.updated_at >= :since
			UNION ALL
			SELECT vr.id, vr.updated_at, vr.discarded_at, vr.outcome, vr.session_id FROM vaccination_records vr
			WHERE vr.programme_id = :programmeId AND vr.updated_at < :since
			  AND vr.id IN (SELECT r.vaccination_record_id FROM dps_export_rejects r
			                JOIN dps_exports e ON e.id = r.export_id WHERE e.programme_id = :programmeId
			                UNION
			                SELECT er.vaccination_record_id FROM dps_export_records er
			                JOIN dps_exports e ON e.id = er.export_id
			                WHERE e.programme_id = :programmeId AND e.status = 'UNDELIVERABLE')""";

	/**
	 * A delivery of a record DPS got: a row of a SENT or ACKNOWLEDGED export that did not reject it.
	 * Joined, not looked up record by record, so the planner can hash it at a first export (every
	 * record a candidate, no history) and probe its index on a night (few candidates, years of it).
	 */
	private static final String DELIVERY = """
			SELECT er.vaccination_record_id, er.export_id, er.record_version AS sent_version, er.action_flag AS sent_action
			FROM dps_export_records er JOIN dps_exports e ON e.id = er.export_id
			WHERE e.status IN ('SENT', 'ACKNOWLEDGED')
			  AND NOT EXISTS (SELECT 1 FROM dps_export_rejects r
			                  WHERE r.export_id = er.export_id AND r.vaccination_record_id = er.vaccination_record_id)""";

	/** Held by an unfinished export (this programme's or, for a record that moved, another's). */
	private static final String UNHELD = " " + """
			NOT EXISTS (SELECT 1 FROM dps_export_records held
			            WHERE held.vaccination_record_id = vr.id AND held.export_id IN """ + HELD + ")";

	/** Whether DPS has been sent anything at all: decided once per statement, in its snapshot. */
	private static final String ANY_DELIVERED = " EXISTS (SELECT 1 FROM dps_exports d WHERE d.status IN ('SENT', 'ACKNOWLEDGED'))";

	/**
	 * Of the candidates, the ones DPS has not got in their current form, less those an unfinished
	 * export holds, with the action each goes as.
	 *
	 * <p>Before anything was delivered (the first export of all, a million records or more), every
	 * candidate that counts goes as new, and the first branch claims it straight from the source
	 * index: joining deliveries there sorted every candidate for nothing. Once anything was, the
	 * second branch joins each candidate's last delivery. Both are one statement, so an export of
	 * another programme turning SENT as this one claims cannot fall between the test and the claim.
	 */
	private static final String PENDING = "SELECT vr.id, 'new' AS action_flag, vr.updated_at FROM (" + CANDIDATES + """
			) vr
			WHERE NOT """ + ANY_DELIVERED + """
			  AND vr.discarded_at IS NULL AND vr.outcome = 'administered' AND vr.session_id IS NOT NULL
			  AND """ + UNHELD + """

			UNION ALL
			SELECT vr.id,
			       CASE WHEN s.sent_action IS NULL OR s.sent_action = 'delete' THEN 'new'
			            WHEN vr.discarded_at IS NOT NULL OR vr.outcome <> 'administered' OR vr.session_id IS NULL THEN 'delete'
			            ELSE 'update' END,
			       vr.updated_at
			FROM (""" + CANDIDATES + ") vr LEFT JOIN (" + DELIVERY + """
			) s ON s.vaccination_record_id = vr.id
			     -- the last delivery only
			     AND NOT EXISTS (SELECT 1 FROM (""" + DELIVERY + """
			                     ) later WHERE later.vaccination_record_id = s.vaccination_record_id
			                               AND later.export_id > s.export_id)
			WHERE """ + ANY_DELIVERED + """
			  AND (
			        -- never sent (or deleted and since restored): goes once it is kept, administered and in a session
			        ((s.sent_action IS NULL OR (s.sent_action = 'delete' AND vr.updated_at > s.sent_version))
			          AND vr.discarded_at IS NULL AND vr.outcome = 'administered' AND vr.session_id IS NOT NULL)
			        -- sent and changed since: an update, or a delete if it no longer counts
			     OR (s.sent_action IN ('new', 'update') AND vr.updated_at > s.sent_version)
			  )
			  AND """ + UNHELD;

	private final JdbcClient jdbc;

	private final Duration overlap;

	public ExportSelection(JdbcClient jdbc, SelectionProperties properties) {
		this.jdbc = jdbc;
		this.overlap = properties.changeOverlap();
	}

	/** The claim's selection, with :programmeId and :since to bind: for EXPLAIN by operators and the benchmark. */
	public static String pendingRecordsQuery() {
		return PENDING;
	}

	public boolean hasPendingRecords(Programme programme) {
		long programmeId = programmeId(programme);
		return this.jdbc.sql("SELECT EXISTS (" + PENDING + ")")
			.param("programmeId", programmeId)
			.param("since", since(programmeId))
			.query(Boolean.class)
			.single();
	}

	/**
	 * One claim at a time, whatever the programme, for the rest of the transaction. Each claim then
	 * sees the records every earlier one holds, so two runs of a programme (a restarted instance and
	 * tonight's), or two programmes a record moved between, cannot both claim it. That is worth what
	 * it costs a first export of everything, whose claims are large (docs/performance.md).
	 */
	public void lockClaims() {
		this.jdbc.sql("SELECT pg_advisory_xact_lock(hashtext('dps_export_claim'))").query().listOfRows();
	}

	/**
	 * Claims every pending record of the programme into the export and moves the programme's
	 * watermark on; returns how many of each action, counted as they are inserted.
	 */
	public Map<String, Integer> claim(long exportId, Programme programme) {
		long programmeId = programmeId(programme);
		OffsetDateTime since = since(programmeId);
		// read before the claim's snapshot: a transaction open now may commit rows it cannot see
		OffsetDateTime next = this.jdbc.sql("""
				SELECT least(now(),
				             (SELECT min(xact_start) FROM pg_stat_activity
				              WHERE datname = current_database() AND xact_start IS NOT NULL),
				             (SELECT min(prepared) FROM pg_prepared_xacts WHERE database = current_database()),
				             -- records an unfinished export holds were not looked at in their newer versions
				             (SELECT min(changes_since) FROM dps_exports
				              WHERE programme_id = :programmeId AND status IN """ + ExportStatus.UNFINISHED_SQL + """
				             ),
				             -- a record another programme's unfinished export holds, moved here since that
				             -- claim: it is skipped tonight, and its move is stamped no earlier than then
				             (SELECT min(changes_until) FROM dps_exports
				              WHERE programme_id <> :programmeId AND status IN """ + ExportStatus.UNFINISHED_SQL + "))")
			.param("programmeId", programmeId)
			.query(OffsetDateTime.class)
			.single()
			.minus(this.overlap);
		Map<String, Integer> byAction = new LinkedHashMap<>();
		this.jdbc.sql("WITH claimed AS (INSERT INTO dps_export_records (export_id, vaccination_record_id, action_flag, "
				+ "record_version) SELECT :exportId, p.id, p.action_flag, p.updated_at FROM (" + PENDING
				+ ") p RETURNING action_flag) SELECT action_flag, count(*) FROM claimed GROUP BY 1 ORDER BY 1")
			.param("exportId", exportId)
			.param("programmeId", programmeId)
			.param("since", since)
			.query((ResultSet rs) -> {
				byAction.put(rs.getString(1), rs.getInt(2));
			});
		int claimed = byAction.values().stream().mapToInt(Integer::intValue).sum();
		refreshStatistics(claimed);
		this.jdbc.sql("""
				UPDATE dps_exports SET claimed_count = :n, changes_since = :since, changes_until = :next, updated_at = now()
				WHERE id = :id""")
			.param("n", claimed)
			.param("since", since)
			.param("next", next)
			.param("id", exportId)
			.update();
		this.jdbc.sql("""
				INSERT INTO dps_claim_watermarks (programme_id, changes_since, set_at) VALUES (:programmeId, :next, now())
				ON CONFLICT (programme_id) DO UPDATE SET changes_since = excluded.changes_since, set_at = excluded.set_at""")
			.param("programmeId", programmeId)
			.param("next", next)
			.update();
		return byAction;
	}

	/**
	 * Analyses {@code dps_export_records} when this claim added a tenth or more of the rows the
	 * planner last counted there (or it was never counted): the file step's COPY and the next
	 * programmes' claims are planned from those statistics, before autovacuum gets to them. Planned
	 * without them at a first export, the COPY of 441k records took nested loops and 1.6 to 2.3 times
	 * the CPU. Inside the claim's transaction, so its own rows are counted. It waits only for another
	 * VACUUM or ANALYZE of the table: autovacuum's gives way to it; a DBA's would hold the claim.
	 */
	private void refreshStatistics(int claimed) {
		double counted = this.jdbc.sql("SELECT reltuples FROM pg_class WHERE oid = 'dps_export_records'::regclass")
			.query(Double.class)
			.single();
		if (counted < 0 || claimed >= counted / 10) {
			this.jdbc.sql("ANALYZE dps_export_records").update();
		}
	}

	/** Where the programme's next claim starts: the beginning of time before its first. */
	OffsetDateTime since(long programmeId) {
		return this.jdbc.sql("SELECT changes_since FROM dps_claim_watermarks WHERE programme_id = :programmeId")
			.param("programmeId", programmeId)
			.query(OffsetDateTime.class)
			.optional()
			.orElse(OffsetDateTime.parse("0001-01-01T00:00:00Z"));
	}

	private long programmeId(Programme programme) {
		return this.jdbc.sql("SELECT id FROM programmes WHERE type = :type")
			.param("type", programme.type())
			.query(Long.class)
			.single();
	}

}
