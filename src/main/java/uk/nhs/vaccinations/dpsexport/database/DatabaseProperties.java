package uk.nhs.vaccinations.dpsexport.database;

import jakarta.validation.constraints.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Where the exporter's tables and the vaccination service's tables are ({@code dps.database.*}).
 *
 * @param schema the exporter's own schema: its bookkeeping, the Spring Batch tables and Flyway's
 *     history. Nothing else of the exporter's is created anywhere else.
 * @param sourceSchema the vaccination service's schema, read only (see {@link SourceContract})
 */
@Validated
@ConfigurationProperties("dps.database")
public record DatabaseProperties(
		@DefaultValue("dps_export") @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String schema,
		@DefaultValue("public") @Pattern(regexp = IDENTIFIER, message = IDENTIFIER_MESSAGE) String sourceSchema) {

	/** Lower-case PostgreSQL identifiers that need no quoting, so they go into SQL as they are. */
	static final String IDENTIFIER = "[a-z_][a-z0-9_]{0,62}";

	static final String IDENTIFIER_MESSAGE = "must be a schema name of lower-case letters, digits and _, such as dps_export";

	/** Tables are found by name: the exporter's own first, then the vaccination service's. */
	public String searchPath() {
		return this.schema + ", " + this.sourceSchema;
	}

}
