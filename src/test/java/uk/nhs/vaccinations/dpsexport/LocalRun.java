package uk.nhs.vaccinations.dpsexport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import uk.nhs.vaccinations.dpsexport.mesh.MeshClient;
import uk.nhs.vaccinations.dpsexport.mesh.MeshSettings;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;
import uk.nhs.vaccinations.dpsexport.support.TestPostgres;

/**
 * The README's local run: a throwaway embedded PostgreSQL and the local MESH sandbox, demo
 * data, then the real commands exactly as {@code java -jar} runs them (handshake, export,
 * track, status), and a look into the DPS mailbox to show the files arriving. No accounts,
 * no Docker. Arguments: [records] (default 5000).
 */
public final class LocalRun {

	private LocalRun() {
	}

	public static void main(String[] args) throws Exception {
		String records = args.length > 0 ? args[0] : "5000";
		String url = TestPostgres.createDatabase("local_run");
		MeshSandbox sandbox = MeshSandbox.http();
		List<String> common = new ArrayList<>(List.of("--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--mesh.jobs-enabled=true", "--mesh.base-url=" + sandbox.baseUrl(), "--mesh.mailbox=X26ABC1",
				"--mesh.password=password", "--mesh.shared-key=" + MeshSandbox.SHARED_KEY,
				"--mesh.dps-mailbox=X26ABC2", "--dps.output-dir=dps-files"));
		System.out.println("Embedded PostgreSQL: " + url);
		System.out.println("Local MESH sandbox:  " + sandbox.baseUrl() + " (mailboxes X26ABC1 -> DPS X26ABC2)");
		int code = app(common, "generate-demo-data", "--records=" + records);
		for (String command : new String[] { "handshake", "export" }) {
			if (code == 0) {
				code = app(common, command);
			}
		}
		if (code == 0) {
			code = showDpsMailbox(sandbox);
		}
		if (code == 0) {
			code = app(common, "track");
		}
		if (code == 0) {
			code = app(common, "status");
		}
		sandbox.close();
		System.out.println(code == 0 ? "Local run finished." : "Local run failed with exit code " + code + ".");
		System.exit(code);
	}

	/** DPS's side: download what arrived, count its rows, acknowledge it. */
	private static int showDpsMailbox(MeshSandbox sandbox) throws Exception {
		Path inbox = Files.createDirectories(Path.of("dps-files", "dps-mailbox-X26ABC2"));
		System.out.println();
		System.out.println("DPS mailbox X26ABC2 received:");
		try (MeshClient dps = new MeshClient(
				MeshSettings.to(sandbox.baseUrl()).mailbox("X26ABC2", "password").build())) {
			for (String id : dps.listInbox()) {
				Path tmp = inbox.resolve(id + ".part");
				MeshClient.DownloadedMessage message = dps.download(id, tmp);
				Path file = inbox.resolve(message.headers().getOrDefault("mex-filename", id + ".dat"));
				Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				long rows;
				try (var lines = Files.lines(file)) {
					rows = lines.count() - 1;
				}
				dps.acknowledge(id);
				System.out.printf("  %-38s %6d rows  %8d bytes  %d chunk(s)  MESH message %s -> %s%n",
						file.getFileName(), rows, message.bytes(), message.chunks(), id, file);
			}
		}
		System.out.println();
		return 0;
	}

	private static int app(List<String> common, String... command) {
		List<String> all = new ArrayList<>(List.of(command));
		all.addAll(common);
		return DpsMeshExportApplication.run(all.toArray(String[]::new));
	}

}
