package uk.nhs.vaccinations.dpsexport.cli;

/** The text of {@code --help}. */
public final class Usage {

	public static final String TEXT = """
			Usage: java -jar dps-mesh-export.jar <command> [options]

			Commands:
			  export                 Nightly: for every programme with records to send, restart its unfinished
			                         earlier export if any, then run dpsExportJob (claim, write the DPS file,
			                         upload it to the DPS mailbox, mark the records sent).
			      --run-date=YYYY-MM-DD   the run date (default: today, Europe/London)
			      --programme=P[,P...]    only these programmes (flu, hpv, menacwy, td_ipv)
			  handshake              Daily: meshValidateMailboxJob, the MESH mailbox handshake.
			  track                  After the export: dpsTrackJob, records what MESH says became of sent exports.
			  restart <executionId>  Restart a failed (or killed) job execution with its own parameters.
			  restart --last-failed  Restart the most recent failed execution of each job.
			  status                 Recent job executions and exports, with counts and MESH states.
			      --limit=N               rows per table (default 20)
			  generate-demo-data     Create synthetic patients and vaccination records (test NHS numbers).
			      --records=N             how many vaccination records (default 1000)
			      --seed=S                random seed; the same seed gives the same data (default 42)
			  help, --help           Show this text.

			Spring Boot's own launch also works: --spring.batch.job.name=dpsExportJob programme=hpv
			runDate=2026-11-24,java.time.LocalDate

			Exit codes: 0 done, 1 a job failed, 3 already running, 4 MESH jobs disabled,
			            64 bad command or arguments, 78 bad configuration.
			""";

	private Usage() {
	}

}
