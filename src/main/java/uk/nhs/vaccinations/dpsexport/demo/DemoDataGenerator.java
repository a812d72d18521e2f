package uk.nhs.vaccinations.dpsexport.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import javax.sql.DataSource;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import uk.nhs.vaccinations.dpsexport.dps.NhsNumber;

/**
 * Synthetic school vaccination data: organisations, schools, clinics, vaccinators, sessions,
 * batches, patients with test-range NHS numbers (999...) and vaccination records across the
 * four programmes. The same seed on an empty database gives the same rows. Patients and
 * records go in with COPY, so a million records take seconds, not minutes.
 */
@Component
public class DemoDataGenerator {

	private static final Logger log = LoggerFactory.getLogger(DemoDataGenerator.class);

	private static final ZoneId LONDON = ZoneId.of("Europe/London");

	static final String[] GIVEN = { "Amelia", "Oliver", "Isla", "George", "Ava", "Noah", "Mia", "Arthur",
			"Ivy", "Muhammad", "Freya", "Leo", "Lily", "Harry", "Florence", "Oscar", "Willow", "Jack", "Rosie",
			"Theo", "Sienna", "Charlie", "Grace", "Finley", "Aoife", "Zoë", "Siân", "Kofi", "Priya", "Mateusz" };

	static final String[] FAMILY = { "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson",
			"Davies", "Patel", "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green",
			"Hall", "Khan", "O'Brien", "Nowak", "Okafor", "Murphy", "Clarke", "Hughes", "Lewis", "Ahmed", "Singh" };

	private static final String[] OUTCODES = { "SW1A", "LS1", "M1", "B1", "BS1", "NE1", "L1", "CF10", "NG1", "S1",
			"EX1", "CB1", "OX1", "YO1", "PL1", "BN1", "LE1", "HU1", "SO14", "TR1" };

	private static final String[] ARM_SITES = { "left_arm_upper_position", "right_arm_upper_position",
			"left_arm_lower_position", "right_arm_lower_position" };

	private static final String[] OTHER_OUTCOMES = { "refused", "not_well", "contraindications", "already_had",
			"absent_from_session" };

	/** Programme type -> share of records, and the vaccines in use for it this season. */
	private static final List<Map.Entry<String, Double>> PROGRAMME_SHARE = List.of(Map.entry("flu", 0.50),
			Map.entry("hpv", 0.20), Map.entry("menacwy", 0.15), Map.entry("td_ipv", 0.15));

	public record Summary(int organisations, int schools, int clinics, int patients, int records,
			Duration took) {

		@Override
		public String toString() {
			return this.records + " vaccination records for " + this.patients + " patients (" + this.organisations
					+ " organisations, " + this.schools + " schools, " + this.clinics + " clinics) in "
					+ this.took.toMillis() + " ms";
		}

	}

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final TransactionTemplate transaction;

	public DemoDataGenerator(DataSource dataSource, JdbcClient jdbc, TransactionTemplate transaction) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.transaction = transaction;
	}

	public Summary generate(int recordCount, long seed) {
		Instant started = Instant.now();
		Summary summary = this.transaction.execute(status -> {
			// A later run on the same database continues from a different stream, so its UUIDs
			// and codes never clash with the first run's; run 0 is exactly the seed.
			long run = this.jdbc.sql("SELECT count(*) FROM organisations").query(Long.class).single() / 3;
			Random random = new Random(seed ^ (run * 0x9E3779B97F4A7C15L));
			try {
				return generate(recordCount, random, run, started);
			}
			catch (SQLException | IOException ex) {
				throw new IllegalStateException("Demo data generation failed: " + ex.getMessage(), ex);
			}
		});
		this.jdbc.sql("ANALYZE").update();
		log.info("Generated {}", summary);
		return summary;
	}

	private Summary generate(int recordCount, Random random, long run, Instant started)
			throws SQLException, IOException {
		DemoSetting setting = DemoSetting.create(this.jdbc, random, run);
		List<Long> userIds = setting.userIds();
		Map<String, Long> programmeIds = setting.programmeIds();
		Map<String, List<Long>> sessions = setting.sessions();
		Map<String, List<DemoSetting.VaccineChoice>> vaccines = setting.vaccines();

		int patientCount = Math.max(1, (int) Math.ceil(recordCount * 0.7));
		PGConnection pg = connection().unwrap(PGConnection.class);
		long firstPatient = nextIds("patients", patientCount);
		CopyIn patients = pg.getCopyAPI()
			.copyIn("COPY patients (id, nhs_number, given_name, family_name, date_of_birth, gender_code, "
					+ "address_postcode) FROM STDIN WITH (FORMAT csv)");
		StringBuilder rows = new StringBuilder(1 << 20);
		for (int i = 0; i < patientCount; i++) {
			rows.append(firstPatient + i).append(',').append(nhsNumber(random)).append(',');
			csv(rows, GIVEN[random.nextInt(GIVEN.length)]).append(',');
			csv(rows, FAMILY[random.nextInt(FAMILY.length)]).append(',');
			rows.append(LocalDate.of(2008, 9, 1).plusDays(random.nextInt(365 * 8))).append(',');
			rows.append(random.nextInt(100) < 49 ? 1 : random.nextInt(100) < 96 ? 2 : random.nextBoolean() ? 0 : 9);
			rows.append(',').append(OUTCODES[random.nextInt(OUTCODES.length)]).append(' ')
				.append(1 + random.nextInt(9)).append((char) ('A' + random.nextInt(26)))
				.append((char) ('A' + random.nextInt(26))).append('\n');
			flushIfFull(patients, rows);
		}
		flush(patients, rows);
		patients.endCopy();

		long firstRecord = nextIds("vaccination_records", recordCount);
		CopyIn records = pg.getCopyAPI()
			.copyIn("COPY vaccination_records (id, uuid, patient_id, programme_id, session_id, vaccine_id, batch_id, "
					+ "outcome, delivery_site, delivery_method, dose_sequence, full_dose, performed_at, "
					+ "performed_by_user_id, performed_by_given_name, performed_by_family_name, created_at, "
					+ "updated_at, discarded_at) FROM STDIN WITH (FORMAT csv)");
		LocalDateTime termStart = LocalDateTime.of(2025, 9, 3, 9, 0);
		// updated_at is the row's version, set when the service writes it, as the exporter expects
		Instant written = Instant.now();
		for (int i = 0; i < recordCount; i++) {
			String programme = pickProgramme(random);
			DemoSetting.VaccineChoice vaccine = pickVaccine(vaccines.get(programme), random);
			boolean inSession = random.nextInt(100) < 97;
			boolean administered = random.nextInt(100) < 92;
			LocalDateTime when = termStart.plusDays(random.nextInt(300)).plusMinutes(random.nextInt(7 * 60));
			Instant performedAt = when.atZone(LONDON).toInstant();
			Instant createdAt = performedAt.plusSeconds(60 + random.nextInt(3600));
			long recordId = firstRecord + i;
			rows.append(recordId).append(',').append(new UUID(random.nextLong() & 0xffffffffffff0fffL | 0x4000L,
					random.nextLong() & 0x3fffffffffffffffL | 0x8000000000000000L)).append(',');
			rows.append(firstPatient + random.nextInt(patientCount)).append(',');
			rows.append(programmeIds.get(programme)).append(',');
			List<Long> programmeSessions = sessions.get(programme);
			rows.append(inSession ? programmeSessions.get(random.nextInt(programmeSessions.size())).toString() : "")
				.append(',');
			if (administered) {
				boolean nasal = vaccine.method().equals("nasal");
				rows.append(vaccine.id()).append(',').append(vaccine.batchIds().get(random.nextInt(2))).append(',');
				rows.append("administered,");
				rows.append(nasal ? "nose" : ARM_SITES[random.nextInt(ARM_SITES.length)]).append(',');
				rows.append(nasal ? "nasal_spray" : "intramuscular").append(',');
				rows.append(programme.equals("flu") ? "" : "1").append(',');
				rows.append(nasal && random.nextInt(100) < 2 ? "f" : "t").append(',');
			}
			else {
				rows.append(",,").append(OTHER_OUTCOMES[random.nextInt(OTHER_OUTCOMES.length)]).append(",,,,t,");
			}
			rows.append(performedAt).append(',');
			if (random.nextInt(100) < 90) {
				rows.append(userIds.get(random.nextInt(userIds.size()))).append(",,,");
			}
			else {
				rows.append(',');
				csv(rows, GIVEN[random.nextInt(GIVEN.length)]).append(',');
				csv(rows, FAMILY[random.nextInt(FAMILY.length)]).append(',');
			}
			rows.append(createdAt).append(',').append(written).append(',');
			rows.append(random.nextInt(100) == 0 ? createdAt.plusSeconds(600).toString() : "").append('\n');
			flushIfFull(records, rows);
		}
		flush(records, rows);
		records.endCopy();
		return new Summary(setting.organisations(), setting.schools(), setting.clinics(), patientCount, recordCount,
				Duration.between(started, Instant.now()));
	}

	private static String pickProgramme(Random random) {
		double roll = random.nextDouble();
		for (Map.Entry<String, Double> share : PROGRAMME_SHARE) {
			roll -= share.getValue();
			if (roll < 0) {
				return share.getKey();
			}
		}
		return PROGRAMME_SHARE.get(0).getKey();
	}

	private static DemoSetting.VaccineChoice pickVaccine(List<DemoSetting.VaccineChoice> choices, Random random) {
		// Most children get the nasal flu vaccine; the injected ones are for those who cannot.
		for (DemoSetting.VaccineChoice choice : choices) {
			if (choice.method().equals("nasal") && random.nextInt(100) < 80) {
				return choice;
			}
		}
		return choices.get(random.nextInt(choices.size()));
	}

	/** A valid NHS number in the 999 test range, which no real patient has. */
	static String nhsNumber(Random random) {
		while (true) {
			String firstNine = String.format("999%06d", random.nextInt(1_000_000));
			int check = NhsNumber.checkDigit(firstNine);
			if (check >= 0) {
				return firstNine + check;
			}
		}
	}

	private static StringBuilder csv(StringBuilder rows, String value) {
		return rows.append('"').append(value.replace("\"", "\"\"")).append('"');
	}

	private static void flushIfFull(CopyIn copy, StringBuilder rows) throws SQLException {
		if (rows.length() > (1 << 20)) {
			flush(copy, rows);
		}
	}

	private static void flush(CopyIn copy, StringBuilder rows) throws SQLException {
		byte[] bytes = rows.toString().getBytes(StandardCharsets.UTF_8);
		copy.writeToCopy(bytes, 0, bytes.length);
		rows.setLength(0);
	}

	/** Reserves n ids from the table's sequence in one call and returns the first. */
	private long nextIds(String table, int n) {
		long last = this.jdbc.sql("SELECT setval(pg_get_serial_sequence(:table, 'id'), "
				+ "nextval(pg_get_serial_sequence(:table, 'id')) + :n - 1)")
			.param("table", table)
			.param("n", n)
			.query(Long.class)
			.single();
		return last - n + 1;
	}

	private Connection connection() {
		return org.springframework.jdbc.datasource.DataSourceUtils.getConnection(this.dataSource);
	}

}
