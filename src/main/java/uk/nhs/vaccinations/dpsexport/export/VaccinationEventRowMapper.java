package uk.nhs.vaccinations.dpsexport.export;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;

import uk.nhs.vaccinations.dpsexport.dps.VaccinationEvent;

/**
 * Reads one row of {@link ExportRepository#EXPORT_ROWS_SQL} and completes it from the
 * {@link ReferenceData}: what the old query's joins to the small tables gave. Columns are looked
 * up by name once per result set, not per row.
 */
class VaccinationEventRowMapper implements RowMapper<VaccinationEvent> {

	private static final String[] COLUMNS = { "export_id", "record_id", "uuid", "action_flag", "programme_id",
			"nhs_number", "given_name", "family_name", "date_of_birth", "gender_code", "address_postcode",
			"performed_at", "session_id", "performed_by_user_id", "performed_by_given_name",
			"performed_by_family_name", "created_at", "dose_sequence", "vaccine_id", "full_dose", "batch_id",
			"delivery_site", "delivery_method" };

	private final ReferenceData reference;

	private ResultSet resolvedFor;

	private int[] at;

	VaccinationEventRowMapper(ReferenceData reference) {
		this.reference = reference;
	}

	@Override
	public VaccinationEvent mapRow(ResultSet rs, int rowNum) throws SQLException {
		int[] c = columns(rs);
		ReferenceData.ProgrammeCodes programme = this.reference.programme(rs.getLong(c[4]));
		ReferenceData.Session session = this.reference.session(rs.getObject(c[12], Long.class));
		ReferenceData.User user = this.reference.user(rs.getObject(c[13], Long.class));
		ReferenceData.Vaccine vaccine = this.reference.vaccine(rs.getObject(c[18], Long.class));
		ReferenceData.Batch batch = this.reference.batch(rs.getObject(c[20], Long.class));
		return new VaccinationEvent(rs.getLong(c[0]), rs.getLong(c[1]), rs.getObject(c[2], UUID.class),
				rs.getString(c[3]), programme.type(), programme.procedureCode(), programme.procedureTerm(),
				rs.getString(c[5]), rs.getString(c[6]), rs.getString(c[7]), rs.getObject(c[8], LocalDate.class),
				rs.getObject(c[9], Integer.class), rs.getString(c[10]), instant(rs, c[11]),
				session == null ? null : session.organisationOdsCode(),
				// The recording user's name when there is one, else the free-text name on the record.
				user != null ? user.givenName() : rs.getString(c[14]),
				user != null ? user.familyName() : rs.getString(c[15]), instant(rs, c[16]),
				rs.getObject(c[17], Integer.class), vaccine == null ? null : vaccine.productCode(),
				vaccine == null ? null : vaccine.productTerm(), vaccine == null ? null : vaccine.manufacturer(),
				vaccine == null ? null : vaccine.doseVolumeMl(), rs.getBoolean(c[19]),
				batch == null ? null : batch.name(), batch == null ? null : batch.expiry(), rs.getString(c[21]),
				rs.getString(c[22]), session == null ? null : session.locationType(),
				session == null ? null : session.locationUrn(), session == null ? null : session.locationOdsCode());
	}

	private int[] columns(ResultSet rs) throws SQLException {
		if (rs != this.resolvedFor) {
			int[] found = new int[COLUMNS.length];
			for (int i = 0; i < COLUMNS.length; i++) {
				found[i] = rs.findColumn(COLUMNS[i]);
			}
			this.at = found;
			this.resolvedFor = rs;
		}
		return this.at;
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

}
