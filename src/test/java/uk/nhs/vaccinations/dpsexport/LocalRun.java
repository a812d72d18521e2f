package uk.nhs.vaccinations.dpsexport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import uk.nhs.vaccinations.dpsexport.dps.DpsReceiver;
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
				"--mesh.dps-mailbox=X26ABC2", "--dps.output-dir=dps-files", "--dps.demo.enabled=true"));
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

	/**
	 * DPS's side: download what arrived, judge each file as DPS would (name, header, every row) and
	 * print its verdict, then acknowledge it. A file DPS would fail, or a row it would fail, fails the run.
	 */
	private static int showDpsMailbox(MeshSandbox sandbox) throws Exception {
		Path inbox = Files.createDirectories(Path.of("dps-files", "dps-mailbox-X26ABC2"));
		DpsReceiver dpsSide = new DpsReceiver();
		int code = 0;
		System.out.println();
		System.out.println("DPS mailbox X26ABC2 received, and DPS's verdict on each file:");
		try (MeshClient dps = new MeshClient(
				MeshSettings.to(sandbox.baseUrl()).mailbox("X26ABC2", "password").build())) {
			for (String id : dps.listInbox()) {
				Path tmp = inbox.resolve(id + ".part");
				MeshClient.DownloadedMessage message = dps.download(id, tmp);
				String name = message.headers().get("mex-filename");
				Path file = inbox.resolve(name == null ? id + ".dat" : name);
				Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				DpsReceiver.Verdict verdict = dpsSide.receive(name, Files.readAllBytes(file));
				dps.acknowledge(id);
				System.out.printf("  %s%n      %d bytes in %d MESH chunk(s), message %s, saved as %s%n", verdict,
						message.bytes(), message.chunks(), id, file);
				if (!verdict.clean()) {
					code = 1;
				}
			}
		}
		System.out.println();
		return code;
	}

	private static int app(List<String> common, String... command) {
		List<String> all = new ArrayList<>(List.of(command));
		all.addAll(common);
		return DpsMeshExportApplication.run(all.toArray(String[]::new));
	}

}
