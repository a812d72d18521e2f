package uk.nhs.vaccinations.dpsexport.demo;

import java.net.URI;
import java.util.Locale;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.database.DatabaseProperties;
import uk.nhs.vaccinations.dpsexport.mesh.MeshProperties;

/**
 * In demo mode only, creates the vaccination service's tables (and its reference data) in the
 * source schema, from {@code db/source-schema}: in production they belong to that service and its
 * migrations, and the exporter only reads them. Kept apart from the exporter's own migrations,
 * with a history table of its own. Never against an NHS MESH, whose DPS would get the made-up records.
 */
@Component
@ConditionalOnBooleanProperty("dps.demo.enabled")
class DemoSourceSchema {

	DemoSourceSchema(DataSource dataSource, DatabaseProperties database, MeshProperties mesh) {
		URI url = mesh.baseUrl();
		if (url != null && url.getHost() != null && url.getHost().toLowerCase(Locale.ROOT).endsWith("nhs.uk")) {
			throw new IllegalStateException("Demo mode refused: MESH points at an NHS environment (" + url.getHost()
					+ "), where made-up records would reach DPS. Demo mode (dps.demo.enabled) never runs there.");
		}
		Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/source-schema")
			.schemas(database.sourceSchema())
			.table("demo_source_schema_history")
			.load()
			.migrate();
	}

}
