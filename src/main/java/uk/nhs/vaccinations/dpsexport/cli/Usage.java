package uk.nhs.vaccinations.dpsexport.cli;

/** The text of {@code --help}. */
public final class Usage {

	public static final String TEXT = """
			Usage: java -jar dps-mesh-export.jar <command> [options]

			Commands:
			  export                 Export every programme with records to send: claim them, write the
			                         DPS file (one dpsExportJob instance per programme and run date).
			      --run-date=YYYY-MM-DD   the run date (default: today, Europe/London)
			      --programme=P[,P...]    only these programmes (flu, hpv, menacwy, td_ipv)
			  generate-demo-data     Create synthetic patients and vaccination records (test NHS numbers).
			      --records=N             how many vaccination records (default 1000)
			      --seed=S                random seed; the same seed gives the same data (default 42)
			  help, --help           Show this text.

			Exit codes: 0 done, 1 a job failed, 3 already running, 4 MESH jobs disabled,
			            64 bad command or arguments, 78 bad configuration.
			Settings come from application.yml, SPRING_* and DPS_* environment variables, or --name=value.
			""";

	private Usage() {
	}

}
