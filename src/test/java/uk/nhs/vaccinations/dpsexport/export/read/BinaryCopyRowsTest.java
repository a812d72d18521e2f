package uk.nhs.vaccinations.dpsexport.export.read;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.springframework.beans.factory.annotation.Autowired;

import uk.nhs.vaccinations.dpsexport.support.PostgresTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The binary COPY decoder against real PostgreSQL output, with PgJDBC's own decoding as the oracle. */
@PostgresTest
class BinaryCopyRowsTest {

	@Autowired
	DataSource dataSource;

	@Test
	void decodesEveryTypeTheExportReadsIncludingNullsEdgesAndTextLongerThanItsBuffer() throws Exception {
		String sql = """
				SELECT 9007199254740993::bigint, NULL::bigint, -42::integer, NULL::integer, true, false, NULL::boolean,
				       'Zoë Ó''Brien ✓ "quoted" | piped' || chr(10) || 'second line', '', NULL::text, repeat('ab', 70000),
				       '123e4567-e89b-12d3-a456-426614174000'::uuid, NULL::uuid,
				       date '1999-12-31', date '2000-01-01', date '2026-11-24', NULL::date,
				       timestamptz '1969-07-20 20:17:40.123456+00', timestamptz '2026-03-29 01:30:00+01',
				       timestamptz '1999-12-31 23:59:59.999999+00', NULL::timestamptz""";

		List<List<Object>> rows = copy(sql, 21, r -> Arrays.asList(r.int8(), r.int8(), r.int4(), r.int4(), r.bool(),
				r.bool(), r.bool(), r.text(), r.text(), r.text(), r.text(), r.uuid(), r.uuid(), r.date(), r.date(),
				r.date(), r.date(), r.timestamptz(), r.timestamptz(), r.timestamptz(), r.timestamptz()));

		assertThat(rows).singleElement()
			.isEqualTo(Arrays.asList(9007199254740993L, null, -42, null, true, false, null,
					"Zoë Ó'Brien ✓ \"quoted\" | piped\nsecond line", "", null, "ab".repeat(70000),
					UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), null, LocalDate.of(1999, 12, 31),
					LocalDate.of(2000, 1, 1), LocalDate.of(2026, 11, 24), null,
					Instant.parse("1969-07-20T20:17:40.123456Z"), Instant.parse("2026-03-29T00:30:00Z"),
					Instant.parse("1999-12-31T23:59:59.999999Z"), null));
	}

	@Test
	void fiftyThousandRowsDecodeToWhatTheDriverReads() throws Exception {
		String sql = """
				SELECT g::bigint, (g * 7919 % 100000 - 50000)::integer, g % 3 = 0,
				       CASE WHEN g % 11 = 0 THEN NULL ELSE repeat(chr(65 + g % 26) || 'é', g % 40) END,
				       md5(g::text)::uuid, date '1900-01-01' + (g * 37 % 80000),
				       timestamptz '1950-01-01 00:00:00+00' + g * interval '1 hour 17 minutes 3.000001 seconds'
				FROM generate_series(1, 50000) g ORDER BY g""";
		List<List<Object>> expected = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet rs = statement.executeQuery(sql)) {
			while (rs.next()) {
				expected.add(Arrays.asList(rs.getObject(1, Long.class), rs.getObject(2, Integer.class),
						rs.getObject(3, Boolean.class), rs.getString(4), rs.getObject(5, UUID.class),
						rs.getObject(6, LocalDate.class), rs.getObject(7, OffsetDateTime.class).toInstant()));
			}
		}

		List<List<Object>> decoded = copy(sql, 7,
				r -> Arrays.asList(r.int8(), r.int4(), r.bool(), r.text(), r.uuid(), r.date(), r.timestamptz()));

		assertThat(decoded).hasSize(50000).isEqualTo(expected);
	}

	@Test
	void infinitiesAreDecodedSoTheRecordCanBeRejectedAndTheRowsAfterItStillRead() throws Exception {
		assertThat(copy("SELECT d, t, n FROM (VALUES ('infinity'::date, '-infinity'::timestamptz, 1::bigint), "
				+ "('-infinity'::date, 'infinity'::timestamptz, 2::bigint)) v(d, t, n)", 3,
				r -> Arrays.asList(r.date(), r.timestamptz(), r.int8())))
			.containsExactly(Arrays.asList(LocalDate.MAX, Instant.MIN, 1L), Arrays.asList(LocalDate.MIN, Instant.MAX, 2L));
	}

	@Test
	void aFieldOfAnotherTypeIsAnErrorNamingTheFieldAndRow() {
		assertThatThrownBy(() -> copy("SELECT 1::bigint, 2::bigint", 2, r -> List.of(r.int8(), r.int4())))
			.isInstanceOf(IOException.class)
			.hasMessage("Field 2 of row 1 is 8 bytes; expected integer of 4");
		assertThatThrownBy(() -> copy("SELECT 1::bigint", 2, r -> List.of(r.int8())))
			.isInstanceOf(IOException.class)
			.hasMessage("Row 1 of the COPY data has 1 fields, expected 2");
	}

	interface RowDecoder {

		List<Object> decode(BinaryCopyRows row) throws IOException;

	}

	private List<List<Object>> copy(String query, int columns, RowDecoder decoder) throws Exception {
		List<List<Object>> rows = new ArrayList<>();
		try (Connection connection = this.dataSource.getConnection();
				PGCopyInputStream in = new PGCopyInputStream(connection.unwrap(PGConnection.class),
						"COPY (" + query + ") TO STDOUT (FORMAT binary)")) {
			BinaryCopyRows copy = new BinaryCopyRows(in, columns);
			while (copy.next()) {
				rows.add(decoder.decode(copy));
			}
		}
		return rows;
	}

}
