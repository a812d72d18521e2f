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

/** Reads one row of {@link ExportRepository#EXPORT_ROWS_SQL}. */
class VaccinationEventRowMapper implements RowMapper<VaccinationEvent> {

	@Override
	public VaccinationEvent mapRow(ResultSet rs, int rowNum) throws SQLException {
		return new VaccinationEvent(rs.getLong("export_id"), rs.getLong("record_id"), rs.getObject("uuid", UUID.class),
				rs.getString("action_flag"), rs.getString("programme_type"), rs.getString("snomed_procedure_code"),
				rs.getString("snomed_procedure_term"), rs.getString("nhs_number"), rs.getString("given_name"),
				rs.getString("family_name"), rs.getObject("date_of_birth", LocalDate.class),
				(Integer) rs.getObject("gender_code", Integer.class), rs.getString("address_postcode"),
				instant(rs, "performed_at"), rs.getString("organisation_ods_code"),
				rs.getString("performer_given_name"), rs.getString("performer_family_name"),
				instant(rs, "created_at"), rs.getObject("dose_sequence", Integer.class),
				rs.getString("snomed_product_code"), rs.getString("snomed_product_term"), rs.getString("manufacturer"),
				rs.getObject("dose_volume_ml", BigDecimal.class), rs.getBoolean("full_dose"),
				rs.getString("batch_name"), rs.getObject("batch_expiry", LocalDate.class),
				rs.getString("delivery_site"), rs.getString("delivery_method"), rs.getString("location_type"),
				rs.getString("location_urn"), rs.getString("location_ods_code"));
	}

	private static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

}
