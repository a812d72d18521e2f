package uk.nhs.vaccinations.dpsexport.demo;

import java.sql.ResultSet;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.springframework.jdbc.core.simple.JdbcClient;

import static uk.nhs.vaccinations.dpsexport.demo.DemoDataGenerator.FAMILY;
import static uk.nhs.vaccinations.dpsexport.demo.DemoDataGenerator.GIVEN;

/**
 * What demo records refer to: organisations, schools and clinics, vaccinators, a session of every
 * programme at every location, and two batches of each current vaccine. Few rows, so plain inserts.
 */
record DemoSetting(int organisations, int schools, int clinics, List<Long> userIds, Map<String, Long> programmeIds,
		Map<String, List<Long>> sessions, Map<String, List<VaccineChoice>> vaccines) {

	record VaccineChoice(long id, String key, String method, List<Long> batchIds) {
	}

	/** Run n of the generator on one database names its rows apart from runs 0 to n-1's. */
	static DemoSetting create(JdbcClient jdbc, Random random, long run) {
		int organisations = 3;
		List<Long> orgIds = new ArrayList<>();
		for (int i = 0; i < organisations; i++) {
			orgIds.add(insertId(jdbc, "INSERT INTO organisations (ods_code, name) VALUES (?, ?) RETURNING id",
					"RYG" + (run * 3 + i), "Demo Community Healthcare NHS Trust " + (run * 3 + i)));
		}
		int schools = 20;
		int clinics = 3;
		List<Long> locationIds = new ArrayList<>();
		for (int i = 0; i < schools; i++) {
			locationIds.add(insertId(jdbc, "INSERT INTO locations (type, name, urn) VALUES ('school', ?, ?) RETURNING id",
					"Demo School " + (run * 100 + i), String.valueOf(100000 + run * 100 + i)));
		}
		for (int i = 0; i < clinics; i++) {
			locationIds.add(insertId(jdbc, "INSERT INTO locations (type, name, ods_code) VALUES ('clinic', ?, ?) RETURNING id",
					"Demo Clinic " + (run * 10 + i), "RYG" + (run * 3 + i) + "C"));
		}
		List<Long> userIds = new ArrayList<>();
		for (int i = 0; i < 12; i++) {
			userIds.add(insertId(jdbc, "INSERT INTO users (given_name, family_name, email) VALUES (?, ?, ?) RETURNING id",
					GIVEN[random.nextInt(GIVEN.length)], FAMILY[random.nextInt(FAMILY.length)],
					"nurse" + (run * 100 + i) + "@demo.nhs.uk"));
		}
		Map<String, Long> programmeIds = new HashMap<>();
		jdbc.sql("SELECT type, id FROM programmes").query((ResultSet rs) -> {
			programmeIds.put(rs.getString(1), rs.getLong(2));
		});
		// sessions[programme] -> session ids; every location runs every programme.
		Map<String, List<Long>> sessions = new HashMap<>();
		for (String programme : programmeIds.keySet()) {
			List<Long> ids = new ArrayList<>();
			for (Long locationId : locationIds) {
				ids.add(insertId(jdbc, 
						"INSERT INTO sessions (organisation_id, location_id, programme_id) VALUES (?, ?, ?) RETURNING id",
						orgIds.get(random.nextInt(orgIds.size())), locationId, programmeIds.get(programme)));
			}
			sessions.put(programme, ids);
		}
		// vaccines[programme] -> current vaccines with two batches each.
		Map<String, List<VaccineChoice>> vaccines = new HashMap<>();
		jdbc.sql("""
				SELECT p.type, v.id, v.key, v.method FROM vaccines v JOIN programmes p ON p.id = v.programme_id
				WHERE NOT v.discontinued ORDER BY v.id""").query((ResultSet rs) -> {
			vaccines.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
				.add(new VaccineChoice(rs.getLong(2), rs.getString(3), rs.getString(4), new ArrayList<>()));
		});
		for (List<VaccineChoice> choices : vaccines.values()) {
			for (VaccineChoice choice : choices) {
				for (int b = 0; b < 2; b++) {
					String name = String.format("%c%c%04d", 'A' + random.nextInt(26), 'A' + random.nextInt(26),
							random.nextInt(10000));
					choice.batchIds.add(insertId(jdbc, "INSERT INTO batches (vaccine_id, name, expiry) VALUES (?, ?, ?) RETURNING id",
							choice.id, name, LocalDate.of(2026, 6, 1).plusDays(random.nextInt(400))));
				}
			}
		}
		return new DemoSetting(organisations, schools, clinics, userIds, programmeIds, sessions, vaccines);
	}

	private static long insertId(JdbcClient jdbc, String sql, Object... params) {
		return jdbc.sql(sql).params(params).query(Long.class).single();
	}

}
