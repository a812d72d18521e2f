package uk.nhs.vaccinations.dpsexport.export.read;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The small tables an export row refers to (programmes, sessions with their organisation and
 * location, vaccines, batches, users), read once per file step and looked up by id.
 *
 * <p>Joining them in the export query repeated the same long terms in every one of a million
 * rows: PostgreSQL hashed and sent them, the driver decoded them, and that was about half of the
 * query's cost. They hold thousands of rows, not millions. An id missing here (a row
 * created after the load) reloads them once; the cursor's snapshot is older than that reload, so
 * whatever a claimed record refers to is then found.
 */
final class ReferenceData {

	record ProgrammeCodes(String type, String procedureCode, String procedureTerm) {
	}

	record Session(String organisationOdsCode, String locationType, String locationUrn, String locationOdsCode) {
	}

	record Vaccine(String productCode, String productTerm, String manufacturer, BigDecimal doseVolumeMl) {
	}

	record Batch(String name, LocalDate expiry) {
	}

	record User(String givenName, String familyName) {
	}

	private final JdbcClient jdbc;

	private final Set<String> missing = new HashSet<>();

	private Map<Long, ProgrammeCodes> programmes;

	private Map<Long, Session> sessions;

	private Map<Long, Vaccine> vaccines;

	private Map<Long, Batch> batches;

	private Map<Long, User> users;

	private ReferenceData(JdbcClient jdbc) {
		this.jdbc = jdbc;
		load();
	}

	static ReferenceData load(JdbcClient jdbc) {
		return new ReferenceData(jdbc);
	}

	private void load() {
		this.programmes = byId("SELECT id, type, snomed_procedure_code, snomed_procedure_term FROM programmes",
				(rs, n) -> new ProgrammeCodes(rs.getString(2), rs.getString(3), rs.getString(4)));
		this.sessions = byId("""
				SELECT se.id, o.ods_code, l.type, l.urn, l.ods_code
				FROM sessions se
				JOIN organisations o ON o.id = se.organisation_id
				LEFT JOIN locations l ON l.id = se.location_id""",
				(rs, n) -> new Session(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
		this.vaccines = byId(
				"SELECT id, snomed_product_code, snomed_product_term, manufacturer, dose_volume_ml FROM vaccines",
				(rs, n) -> new Vaccine(rs.getString(2), rs.getString(3), rs.getString(4), rs.getBigDecimal(5)));
		this.batches = byId("SELECT id, name, expiry FROM batches",
				(rs, n) -> new Batch(rs.getString(2), rs.getObject(3, LocalDate.class)));
		this.users = byId("SELECT id, given_name, family_name FROM users",
				(rs, n) -> new User(rs.getString(2), rs.getString(3)));
	}

	private <T> Map<Long, T> byId(String sql, RowMapper<T> mapper) {
		Map<Long, T> rows = new HashMap<>();
		this.jdbc.sql(sql).query(rs -> {
			rows.put(rs.getLong(1), mapper.mapRow(rs, rows.size()));
		});
		return rows;
	}

	ProgrammeCodes programme(long id) {
		return find("programmes", id, () -> this.programmes);
	}

	Session session(Long id) {
		return id == null ? null : find("sessions", id, () -> this.sessions);
	}

	Vaccine vaccine(Long id) {
		return id == null ? null : find("vaccines", id, () -> this.vaccines);
	}

	Batch batch(Long id) {
		return id == null ? null : find("batches", id, () -> this.batches);
	}

	User user(Long id) {
		return id == null ? null : find("users", id, () -> this.users);
	}

	private <T> T find(String name, long id, Supplier<Map<Long, T>> table) {
		T found = table.get().get(id);
		if (found == null && this.missing.add(name + ":" + id)) {
			// Reloaded once per unknown id, so a dangling id costs one reload, not one per row.
			load();
			found = table.get().get(id);
		}
		return found;
	}

}
