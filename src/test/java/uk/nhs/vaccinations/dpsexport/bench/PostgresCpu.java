package uk.nhs.vaccinations.dpsexport.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * PostgreSQL's CPU while the export runs, by what each server process was doing: sampled from
 * {@code /proc} every 50 ms (the postmaster's children only), each process's CPU since the last sample counted under its title then
 * (PostgreSQL shows the running statement's kind there). The same work has cost PostgreSQL from 14.5
 * to 20 CPU seconds in runs minutes apart; this says which part moved.
 */
final class PostgresCpu {

	private final long postmaster;

	private final Map<Long, Double> lastCpu = new HashMap<>();

	private final Map<String, Double> byActivity = new TreeMap<>();

	private final Thread sampler;

	private volatile boolean running = true;

	private PostgresCpu(long postmaster) {
		this.postmaster = postmaster;
		sample(false);
		this.sampler = new Thread(() -> {
			while (this.running) {
				sample(true);
				try {
					Thread.sleep(50);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "postgres-cpu");
		this.sampler.setDaemon(true);
		this.sampler.start();
	}

	/** Starts sampling the server whose postmaster this is; CPU spent before now is not counted. */
	static PostgresCpu start(long postmaster) {
		return new PostgresCpu(postmaster);
	}

	/** Stops sampling and returns the CPU seconds counted under each activity (one sampling thread at a time). */
	Map<String, Double> stop() throws InterruptedException {
		this.running = false;
		this.sampler.join();
		sample(true);
		return this.byActivity;
	}

	private void sample(boolean count) {
		String children;
		try {
			// the postmaster's children only: listing all of /proc every 50 ms cost the machine the export shares
			children = Files.readString(Path.of("/proc", String.valueOf(this.postmaster), "task",
					String.valueOf(this.postmaster), "children"));
		}
		catch (IOException unavailable) {
			return;
		}
		for (String child : children.trim().split("\\s+")) {
			if (child.isEmpty()) {
				continue;
			}
			Path proc = Path.of("/proc", child);
			try {
				String stat = Files.readString(proc.resolve("stat"));
				String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
				double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0;
				Double before = this.lastCpu.put(Long.parseLong(child), cpu);
				// a backend first seen now started during the run: all of its CPU counts
				double spent = cpu - (before == null ? (count ? 0 : cpu) : before);
				if (count && spent > 0) {
					String title = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
						.replace('\0', ' ')
						.trim();
					this.byActivity.merge(activity(title), spent, Double::sum);
				}
			}
			catch (IOException | RuntimeException gone) {
				// a backend that ended while it was read
			}
		}
	}

	/**
	 * A server process's title as the activity it stands for: a backend's ends with its statement's
	 * kind ({@code postgres: user db host(port) COPY}); the reader's COPY, the claims (an
	 * {@code INSERT} inside {@code WITH ... SELECT}, shown as SELECT), other statements and idle
	 * backends, and the server's own background processes.
	 */
	static String activity(String title) {
		String[] words = title.split("\\s+");
		boolean backend = words.length >= 5 && (words[3].contains("(") || words[3].equals("[local]"));
		if (!backend) {
			return "background";
		}
		String statement = words[words.length - 1];
		return switch (statement) {
			case "COPY" -> "reader COPY";
			case "SELECT" -> "claims and queries";
			default -> "other";
		};
	}

}
