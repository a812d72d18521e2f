package uk.nhs.vaccinations.dpsexport.support;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;

/** Inserts source rows for tests, with defaults that make a record exportable. */
public class TestData {

	private final JdbcClient jdbc;

	private int counter;

	public TestData(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Empties everything but the reference data, including the Spring Batch metadata. */
	public void reset() {
		this.jdbc.sql("""
				TRUNCATE dps_export_rejects, dps_export_records, dps_exports, dps_claim_watermarks,
				         vaccination_records, sessions, batches, users, patients, locations, organisations,
				         batch_step_execution_context, batch_job_execution_context, batch_step_execution,
				         batch_job_execution_params, batch_job_execution, batch_job_instance
				RESTART IDENTITY""").update();
	}

	public long organisation(String odsCode) {
		return id("INSERT INTO organisations (ods_code, name) VALUES (?, ?) RETURNING id", odsCode,
				"Trust " + odsCode);
	}

	public long school(String urn) {
		return id("INSERT INTO locations (type, name, urn) VALUES ('school', ?, ?) RETURNING id", "School " + urn, urn);
	}

	public long clinic(String odsCode) {
		return id("INSERT INTO locations (type, name, ods_code) VALUES ('clinic', ?, ?) RETURNING id",
				"Clinic " + odsCode, odsCode);
	}

	public long user(String givenName, String familyName) {
		return id("INSERT INTO users (given_name, family_name, email) VALUES (?, ?, ?) RETURNING id", givenName,
				familyName, givenName + "." + familyName + (++this.counter) + "@example.nhs.uk");
	}

	public long session(long organisationId, Long locationId, String programmeType) {
		return id("""
				INSERT INTO sessions (organisation_id, location_id, programme_id)
				SELECT ?, ?, id FROM programmes WHERE type = ? RETURNING id""", organisationId, locationId,
				programmeType);
	}

	public long patient(String nhsNumber, String givenName, String familyName, LocalDate dateOfBirth,
			int genderCode, String postcode) {
		return id("""
				INSERT INTO patients (nhs_number, given_name, family_name, date_of_birth, gender_code, address_postcode)
				VALUES (?, ?, ?, ?, ?, ?) RETURNING id""", nhsNumber, givenName, familyName, dateOfBirth,
				genderCode, postcode);
	}

	public long patient() {
		return patient("9990000018", "Test", "Patient" + (++this.counter), LocalDate.of(2012, 1, 1), 1, "LS1 1AA");
	}

	public long vaccine(String key) {
		return this.jdbc.sql("SELECT id FROM vaccines WHERE key = ?").param(key).query(Long.class).single();
	}

	public long batch(String vaccineKey, String name, LocalDate expiry) {
		return id("INSERT INTO batches (vaccine_id, name, expiry) VALUES (?, ?, ?) RETURNING id", vaccine(vaccineKey),
				name, expiry);
	}

	public Record record(long patientId, long sessionId, String vaccineKey) {
		return new Record(patientId, sessionId, vaccineKey);
	}

	/** Edits a record the way the vaccination service would: a new version. */
	public void touch(long recordId) {
		this.jdbc.sql("UPDATE vaccination_records SET dose_sequence = coalesce(dose_sequence, 0) + 1, "
				+ "updated_at = updated_at + interval '1 minute' WHERE id = ?").param(recordId).update();
	}

	public void discard(long recordId) {
		this.jdbc.sql("UPDATE vaccination_records SET discarded_at = updated_at + interval '1 minute', "
				+ "updated_at = updated_at + interval '1 minute' WHERE id = ?").param(recordId).update();
	}

	public UUID uuid(long recordId) {
		return this.jdbc.sql("SELECT uuid FROM vaccination_records WHERE id = ?").param(recordId).query(UUID.class).single();
	}

	private long id(String sql, Object... params) {
		return this.jdbc.sql(sql).params(params).query(Long.class).single();
	}

	/** A vaccination record to insert; defaults give an exportable, administered HPV-style dose. */
	public final class Record {

		private final long patientId;

		private Long sessionId;

		private final String vaccineKey;

		private UUID uuid = UUID.randomUUID();

		private String outcome = "administered";

		private String deliverySite = "left_arm_upper_position";

		private String deliveryMethod = "intramuscular";

		private Integer doseSequence = 1;

		private boolean fullDose = true;

		private Instant performedAt = Instant.parse("2025-10-01T09:30:00Z");

		private Long userId;

		private String performerGiven;

		private String performerFamily;

		private Instant createdAt = Instant.parse("2025-10-01T10:00:00Z");

		private Instant discardedAt;

		private Long batchId;

		private boolean noVaccine;

		Record(long patientId, long sessionId, String vaccineKey) {
			this.patientId = patientId;
			this.sessionId = sessionId;
			this.vaccineKey = vaccineKey;
		}

		public Record uuid(UUID value) { this.uuid = value; return this; }
		public Record outcome(String value) { this.outcome = value; return this; }
		public Record site(String value) { this.deliverySite = value; return this; }
		public Record method(String value) { this.deliveryMethod = value; return this; }
		public Record doseSequence(Integer value) { this.doseSequence = value; return this; }
		public Record halfDose() { this.fullDose = false; return this; }
		public Record performedAt(Instant value) { this.performedAt = value; return this; }
		public Record createdAt(Instant value) { this.createdAt = value; return this; }
		public Record by(long value) { this.userId = value; return this; }
		public Record byName(String given, String family) { this.performerGiven = given; this.performerFamily = family; return this; }
		public Record discardedAt(Instant value) { this.discardedAt = value; return this; }
		public Record batch(long value) { this.batchId = value; return this; }
		public Record noSession() { this.sessionId = null; return this; }
		public Record noVaccine() { this.noVaccine = true; return this; }

		public long insert() {
			Long vaccineId = this.noVaccine ? null : vaccine(this.vaccineKey);
			return id("""
					INSERT INTO vaccination_records (uuid, patient_id, programme_id, session_id, vaccine_id, batch_id,
					    outcome, delivery_site, delivery_method, dose_sequence, full_dose, performed_at,
					    performed_by_user_id, performed_by_given_name, performed_by_family_name,
					    created_at, updated_at, discarded_at)
					SELECT ?, ?, v.programme_id, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now(), ?
					FROM vaccines v WHERE v.key = ? RETURNING id""", this.uuid, this.patientId, this.sessionId,
					vaccineId, this.batchId, this.outcome, this.deliverySite, this.deliveryMethod, this.doseSequence,
					this.fullDose, this.performedAt.atOffset(java.time.ZoneOffset.UTC), this.userId, this.performerGiven,
					this.performerFamily, this.createdAt.atOffset(java.time.ZoneOffset.UTC),
					this.discardedAt == null ? null : this.discardedAt.atOffset(java.time.ZoneOffset.UTC), this.vaccineKey);
		}

	}

}
