package uk.nhs.vaccinations.dpsexport.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exporter as a guest in the vaccination service's database: its source tables belong to
 * another role, the exporter's role is made by scripts/create-db-roles.sql, and demo mode is off.
 */
class LeastPrivilegeIT extends SandboxedIT {

	@Test
	void exportsEndToEndUnderItsOwnRoleAndCannotWriteTheSourceTables() throws Exception {
		E2eEnvironment env = new E2eEnvironment("least_privilege", sandbox, this.outputDir);
		// the test database's URL names its superuser, which would override the role given below
		String url = env.url.substring(0, env.url.indexOf('?'));
		env.app.arg("--spring.datasource.url=" + url);
		// the vaccination service: owns the source tables; its data made here by the demo, whose
		// own exporter tables go to a scratch schema that is then dropped
		env.jdbc.sql("CREATE ROLE vaccination_service LOGIN").update();
		env.jdbc.sql("GRANT CREATE ON SCHEMA public TO vaccination_service").update();
		env.jdbc.sql("GRANT CREATE ON DATABASE " + databaseName(env) + " TO vaccination_service").update();
		AppProcess.Result seeded = env.app.arg("--spring.datasource.username=vaccination_service")
			.arg("--dps.database.schema=scratch")
			.run("generate-demo-data", "--records=300");
		assertThat(seeded.exitCode()).as(seeded.output()).isZero();
		env.jdbc.sql("DROP SCHEMA scratch CASCADE").update();

		for (String statement : Files.readString(Path.of("scripts", "create-db-roles.sql")).split(";\\s*\\n")) {
			String sql = Arrays.stream(statement.split("\n")).filter(line -> !line.startsWith("--"))
				.reduce("", (a, b) -> a + "\n" + b).trim();
			if (!sql.isEmpty()) {
				env.jdbc.sql(sql).update();
			}
		}

		AppProcess exporter = env.app.arg("--spring.datasource.username=dps_exporter")
			.arg("--dps.database.schema=dps_export")
			.arg("--dps.demo.enabled=false");
		AppProcess.Result export = exporter.run("export", "--run-date=2026-11-24");
		assertThat(export.exitCode()).as(export.output()).isZero();

		List<String> expected = env.jdbc.sql("""
				SELECT vr.uuid || ' new' FROM vaccination_records vr
				WHERE vr.outcome = 'administered' AND vr.session_id IS NOT NULL AND vr.discarded_at IS NULL
				  AND NOT EXISTS (SELECT 1 FROM dps_export_rejects r WHERE r.vaccination_record_id = vr.id)""")
			.query(String.class).list();
		assertThat(expected).hasSizeGreaterThan(200);
		assertThat(env.deliveredRows()).containsExactlyInAnyOrderElementsOf(expected);

		// everything of the exporter's is in its schema and its own; nothing of it beside the source
		assertThat(env.jdbc.sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'dps_export'")
			.query(String.class).list()).containsExactly("dps_exporter");
		assertThat(env.jdbc.sql("SELECT count(*) FROM pg_tables WHERE schemaname = 'dps_export'")
			.query(Integer.class).single()).isGreaterThanOrEqualTo(10);
		assertThat(env.jdbc.sql("SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'")
			.query(String.class).list()).containsExactly("vaccination_service");

		JdbcClient asExporter = JdbcClient.create(new DriverManagerDataSource(url + "?currentSchema=dps_export,public",
				"dps_exporter", ""));
		assertRefused(() -> asExporter.sql("UPDATE vaccination_records SET outcome = outcome").update());
		assertRefused(() -> asExporter.sql("DELETE FROM patients").update());
		assertRefused(() -> asExporter.sql("CREATE TABLE public.dps_probe (id int)").update());
		assertRefused(() -> asExporter.sql("SELECT * FROM public.demo_source_schema_history").query().listOfRows());

		// a grant taken away is named before anything is claimed
		long exports = env.jdbc.sql("SELECT count(*) FROM dps_exports").query(Long.class).single();
		env.jdbc.sql("REVOKE SELECT (nhs_number) ON patients FROM dps_exporter").update();
		AppProcess.Result refused = exporter.run("export", "--run-date=2026-11-25");
		assertThat(refused.exitCode()).as(refused.output()).isEqualTo(78);
		assertThat(refused.output()).contains("no SELECT for this role on patients.nhs_number");
		assertThat(env.jdbc.sql("SELECT count(*) FROM dps_exports").query(Long.class).single()).isEqualTo(exports);
	}

	private static void assertRefused(Runnable write) {
		assertThatThrownBy(write::run).hasRootCauseInstanceOf(SQLException.class)
			.rootCause()
			.satisfies(cause -> assertThat(((SQLException) cause).getSQLState()).isEqualTo("42501"));
	}

	private static String databaseName(E2eEnvironment env) {
		return env.jdbc.sql("SELECT current_database()").query(String.class).single();
	}

}
