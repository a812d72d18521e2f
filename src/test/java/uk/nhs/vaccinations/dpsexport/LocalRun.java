package uk.nhs.vaccinations.dpsexport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.LoggerFactory;

import ch.qos.logback.classic.Level;
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
		// the embedded server's own start-up (some 270 lines) is not part of the story
		((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("io.zonky")).setLevel(Level.WARN);
		String url = TestPostgres.createDatabase("local_run");
		MeshSandbox sandbox = MeshSandbox.http();
		List<String> common = new ArrayList<>(List.of("--spring.datasource.url=" + url,
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--mesh.jobs-enabled=true", "--mesh.base-url=" + sandbox.baseUrl(), "--mesh.mailbox=X26ABC1",
				"--mesh.password=password", "--mesh.shared-key=" + MeshSandbox.SHARED_KEY,
				"--mesh.dps-mailbox=X26ABC2", "--dps.output-dir=dps-files", "--dps.demo.enabled=true",
				// what the exporter did, not how Spring, Flyway and the pool started
				"--logging.level.root=WARN", "--logging.level.uk.nhs.vaccinations=INFO",
				"--logging.level.dps.export.progress=WARN", "--logging.level.io.zonky=WARN",
				"--spring.main.log-startup-info=false"));
		System.out.println("Embedded PostgreSQL: " + url);
		System.out.println("Local MESH sandbox:  " + sandbox.baseUrl() + " (mailboxes X26ABC1 -> DPS X26ABC2)");
		int code = step(1, "Demo data: " + records + " made-up vaccination records (test NHS numbers)", common,
				"generate-demo-data", "--records=" + records);
		if (code == 0) {
			code = step(2, "The MESH handshake", common, "handshake");
		}
		if (code == 0) {
			code = step(3, "The nightly export: claim, write each programme's DPS file, upload to DPS's mailbox, mark sent",
					common, "export");
		}
		if (code == 0) {
			heading(4, "DPS's side: what arrived in its mailbox, and its verdict on each file");
			code = showDpsMailbox(sandbox);
		}
		if (code == 0) {
			code = step(5, "Tracking: what MESH says became of each file", common, "track");
		}
		if (code == 0) {
			code = step(6, "Status, as an operator sees it", common, "status");
		}
		sandbox.close();
		System.out.println(code == 0 ? "Local run finished." : "Local run failed with exit code " + code + ".");
		System.exit(code);
	}

	private static int step(int number, String title, List<String> common, String... command) {
		heading(number, title + "  (" + String.join(" ", command) + ")");
		return app(common, command);
	}

	private static void heading(int number, String title) {
		System.out.println();
		System.out.println("== " + number + ". " + title);
	}

	/**
	 * DPS's side: download what arrived, judge each file as DPS would (name, header, every row) and
	 * print its verdict, then acknowledge it. A file DPS would fail, or a row it would fail, fails the run.
	 */
	private static int showDpsMailbox(MeshSandbox sandbox) throws Exception {
		Path inbox = Files.createDirectories(Path.of("dps-files", "dps-mailbox-X26ABC2"));
		DpsReceiver dpsSide = new DpsReceiver();
		int code = 0;
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
