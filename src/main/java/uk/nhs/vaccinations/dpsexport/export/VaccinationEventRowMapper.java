package uk.nhs.vaccinations.dpsexport.export;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.jdbc.core.RowMapper;

import uk.nhs.vaccinations.dpsexport.dps.VaccinationEvent;

/**
 * Reads one row of {@link ExportRepository#EXPORT_ROWS_SQL}. Columns are looked up by name once
 * per result set, not per row: by-name lookups were a measurable share of the file step.
 */
class VaccinationEventRowMapper implements RowMapper<VaccinationEvent> {

	private static final String[] COLUMNS = { "export_id", "record_id", "uuid", "action_flag", "programme_type",
			"snomed_procedure_code", "snomed_procedure_term", "nhs_number", "given_name", "family_name", "date_of_birth",
			"gender_code", "address_postcode", "performed_at", "organisation_ods_code", "performer_given_name",
			"performer_family_name", "created_at", "dose_sequence", "snomed_product_code", "snomed_product_term",
			"manufacturer", "dose_volume_ml", "full_dose", "batch_name", "batch_expiry", "delivery_site",
			"delivery_method", "location_type", "location_urn", "location_ods_code" };

	private ResultSet resolvedFor;

	private int[] at;

	@Override
	public VaccinationEvent mapRow(ResultSet rs, int rowNum) throws SQLException {
		int[] c = columns(rs);
		return new VaccinationEvent(rs.getLong(c[0]), rs.getLong(c[1]), rs.getObject(c[2], UUID.class),
				rs.getString(c[3]), rs.getString(c[4]), rs.getString(c[5]), rs.getString(c[6]), rs.getString(c[7]),
				rs.getString(c[8]), rs.getString(c[9]), rs.getObject(c[10], LocalDate.class),
				rs.getObject(c[11], Integer.class), rs.getString(c[12]), instant(rs, c[13]), rs.getString(c[14]),
				rs.getString(c[15]), rs.getString(c[16]), instant(rs, c[17]), rs.getObject(c[18], Integer.class),
				rs.getString(c[19]), rs.getString(c[20]), rs.getString(c[21]), rs.getObject(c[22], BigDecimal.class),
				rs.getBoolean(c[23]), rs.getString(c[24]), rs.getObject(c[25], LocalDate.class), rs.getString(c[26]),
				rs.getString(c[27]), rs.getString(c[28]), rs.getString(c[29]), rs.getString(c[30]));
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
