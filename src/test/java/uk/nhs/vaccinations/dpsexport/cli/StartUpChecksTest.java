package uk.nhs.vaccinations.dpsexport.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import uk.nhs.vaccinations.dpsexport.DpsMeshExportApplication;
import uk.nhs.vaccinations.dpsexport.database.SourceContract;
import uk.nhs.vaccinations.dpsexport.support.Args;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

/** What each command needs before it starts, and what it says when that is missing. */
@ExtendWith(OutputCaptureExtension.class)
class StartUpChecksTest {

	@Test
	void statusNeedsOnlyTheDatabaseEvenWithMeshJobsOnWhileHandshakeNamesWhatIsMissing(CapturedOutput output) {
		String url = TestPostgres.createDatabase("status_without_mesh");
		String[] settings = { "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--dps.demo.enabled=true", "--mesh.jobs-enabled=true", "--mesh.base-url=https://localhost:1",
				"--mesh.shared-key=K3y-not-to-be-shown" };

		assertThat(DpsMeshExportApplication.run(Args.with("status", settings))).as(output.getAll()).isEqualTo(ExitCodes.OK);
		assertThat(output.getOut()).contains("Recent job executions").contains("Exports (newest first)");

		assertThat(DpsMeshExportApplication.run(Args.with("handshake", settings))).isEqualTo(ExitCodes.BAD_CONFIGURATION);
		assertThat(output.getErr()).contains("mesh.password is required when mesh.jobs-enabled is true (set MESH_PASSWORD)")
			.contains("mesh.mailbox is required");
		assertThat(output.getAll()).doesNotContain("K3y-not-to-be-shown");
	}

	@Test
	void anExportNamesTheSourceColumnsItCannotFindAndClaimsNothing(CapturedOutput output) {
		String url = TestPostgres.createDatabase("broken_source_contract");
		String[] settings = { "--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
				"--dps.demo.enabled=true" };
		assertThat(DpsMeshExportApplication.run(Args.with("generate-demo-data", settings))).isEqualTo(ExitCodes.OK);
		JdbcClient jdbc = JdbcClient.create(TestPostgres.inspect(url));
		jdbc.sql("ALTER TABLE vaccination_records RENAME COLUMN delivery_site TO site").update();
		jdbc.sql("DROP TABLE users CASCADE").update();

		assertThat(DpsMeshExportApplication.run(Args.with("export", settings))).isEqualTo(ExitCodes.BAD_CONFIGURATION);

		assertThat(output.getErr()).contains("The vaccination service's tables in schema 'public' "
				+ "(dps.database.source-schema) are not what the exporter reads: missing vaccination_records.delivery_site, "
				+ "table users;");
		assertThat(jdbc.sql("SELECT count(*) FROM dps_exports").query(Long.class).single()).isZero();
	}

	/** The DBA's script grants exactly the columns the exporter reads: no more, no fewer. */
	@Test
	void theRolesScriptGrantsTheSourceContract() throws Exception {
		String script = Files.readString(Path.of("scripts", "create-db-roles.sql"));
		Map<String, Set<String>> granted = new LinkedHashMap<>();
		Matcher grant = Pattern.compile("GRANT SELECT \\(([^)]*)\\)\\s+ON public\\.(\\w+) TO dps_exporter").matcher(script);
		while (grant.find()) {
			granted.put(grant.group(2), Arrays.stream(grant.group(1).split(",")).map(String::trim).collect(Collectors.toSet()));
		}
		Map<String, Set<String>> read = new LinkedHashMap<>();
		SourceContract.COLUMNS_READ.forEach((table, columns) -> read.put(table, Set.copyOf(columns)));
		assertThat(granted).containsExactlyInAnyOrderEntriesOf(read);
	}

}
