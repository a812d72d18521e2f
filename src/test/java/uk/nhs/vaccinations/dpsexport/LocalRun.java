package uk.nhs.vaccinations.dpsexport;

import java.util.ArrayList;
import java.util.List;

import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

/**
 * The README's local run: a throwaway embedded PostgreSQL, demo data, then the real
 * {@code export} command, exactly as {@code java -jar} would run it. No accounts, no Docker.
 * Arguments: [records] (default 5000).
 */
public final class LocalRun {

	private LocalRun() {
	}

	public static void main(String[] args) {
		String records = args.length > 0 ? args[0] : "5000";
		String url = TestPostgres.createDatabase("local_run");
		List<String> common = new ArrayList<>(List.of("--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--spring.datasource.password="));
		System.out.println("Embedded PostgreSQL: " + url);
		int code = app(common, "generate-demo-data", "--records=" + records);
		if (code == 0) {
			code = app(common, "export");
		}
		System.out.println(code == 0 ? "Local run finished." : "Local run failed with exit code " + code + ".");
		System.exit(code);
	}

	private static int app(List<String> common, String... command) {
		List<String> all = new ArrayList<>(List.of(command));
		all.addAll(common);
		return DpsMeshExportApplication.run(all.toArray(String[]::new));
	}

}
