package uk.nhs.vaccinations.dpsexport.database;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The vaccination service's columns the exporter reads: its contract with that service, whose
 * migrations own these tables. Checked before an export starts, so a renamed column or a missing
 * grant stops the run with the column's name rather than with an error halfway through a file.
 * The README's "The source contract" lists the same columns.
 */
@Component
public class SourceContract {

	/** Table by table, every column a statement of the exporter names. */
	public static final Map<String, List<String>> COLUMNS_READ = columns();

	private static Map<String, List<String>> columns() {
		Map<String, List<String>> read = new LinkedHashMap<>();
		read.put("vaccination_records", List.of("id", "uuid", "patient_id", "programme_id", "session_id", "vaccine_id",
				"batch_id", "outcome", "delivery_site", "delivery_method", "dose_sequence", "full_dose", "performed_at",
				"performed_by_user_id", "performed_by_given_name", "performed_by_family_name", "created_at",
				"updated_at", "discarded_at"));
		read.put("patients", List.of("id", "nhs_number", "given_name", "family_name", "date_of_birth", "gender_code",
				"address_postcode"));
		read.put("programmes", List.of("id", "type", "snomed_procedure_code", "snomed_procedure_term"));
		read.put("sessions", List.of("id", "organisation_id", "location_id"));
		read.put("organisations", List.of("id", "ods_code"));
		read.put("locations", List.of("id", "type", "urn", "ods_code"));
		read.put("vaccines", List.of("id", "snomed_product_code", "snomed_product_term", "manufacturer",
				"dose_volume_ml"));
		read.put("batches", List.of("id", "name", "expiry"));
		read.put("users", List.of("id", "given_name", "family_name"));
		return Collections.unmodifiableMap(read);
	}

	private final JdbcClient jdbc;

	private final String sourceSchema;

	public SourceContract(JdbcClient jdbc, DatabaseProperties properties) {
		this.jdbc = jdbc;
		this.sourceSchema = properties.sourceSchema();
	}

	/** Throws {@link BrokenException}, naming every column that is missing or that this role may not read. */
	public void check() {
		// pg_catalog, not information_schema: that hides a column the role may not read, and an
		// operator needs to know whether to ask for a grant or for a migration
		Map<String, Map<String, Boolean>> found = new HashMap<>();
		this.jdbc.sql("""
				SELECT c.relname, a.attname, has_column_privilege(c.oid, a.attnum, 'SELECT')
				FROM pg_class c
				JOIN pg_namespace n ON n.oid = c.relnamespace
				JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
				WHERE n.nspname = :schema AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND c.relname IN (:tables)""")
			.param("schema", this.sourceSchema)
			.param("tables", List.copyOf(COLUMNS_READ.keySet()))
			.query(rs -> {
				found.computeIfAbsent(rs.getString(1), t -> new HashMap<>()).put(rs.getString(2), rs.getBoolean(3));
			});
		boolean schemaUsable = this.jdbc.sql("SELECT has_schema_privilege(:schema, 'USAGE') "
				+ "FROM pg_namespace WHERE nspname = :schema").param("schema", this.sourceSchema)
			.query(Boolean.class).optional().orElse(false);
		// the claim keeps its watermark behind every open transaction, which it must be able to see
		boolean seesTransactions = this.jdbc.sql("""
				SELECT rolsuper OR pg_has_role(current_user, 'pg_read_all_stats', 'MEMBER')
				FROM pg_roles WHERE rolname = current_user""").query(Boolean.class).single();
		List<String> missing = new ArrayList<>();
		List<String> unreadable = new ArrayList<>();
		COLUMNS_READ.forEach((table, columns) -> {
			Map<String, Boolean> present = found.get(table);
			if (present == null) {
				missing.add("table " + table);
				return;
			}
			for (String column : columns) {
				Boolean readable = present.get(column);
				if (readable == null) {
					missing.add(table + "." + column);
				}
				else if (!readable) {
					unreadable.add(table + "." + column);
				}
			}
		});
		if (missing.isEmpty() && unreadable.isEmpty() && schemaUsable && seesTransactions) {
			return;
		}
		StringBuilder message = new StringBuilder("The vaccination service's tables in schema '")
			.append(this.sourceSchema).append("' (dps.database.source-schema) are not what the exporter reads:");
		if (!missing.isEmpty()) {
			message.append(" missing ").append(String.join(", ", missing)).append(';');
		}
		if (!schemaUsable) {
			message.append(" no USAGE on the schema for this role;");
		}
		if (!unreadable.isEmpty()) {
			message.append(" no SELECT for this role on ").append(String.join(", ", unreadable)).append(';');
		}
		if (!seesTransactions) {
			message.append(" this role cannot see other sessions' open transactions (GRANT pg_read_all_stats);");
		}
		message.append(" see the README, \"The source contract\", and scripts/create-db-roles.sql");
		throw new BrokenException(message.toString());
	}

	/** The source tables lack a column the exporter reads, or the exporter's role may not read it. */
	public static final class BrokenException extends RuntimeException {

		BrokenException(String message) {
			super(message);
		}

	}

}
