package uk.nhs.vaccinations.dpsexport.cli;

/** Process exit codes, documented in the README; schedulers alert on anything but 0. */
public final class ExitCodes {

	public static final int OK = 0;

	/** A job (or, for export, at least one programme's job) failed. */
	public static final int FAILED = 1;

	/** The job instance is already running in another process; nothing was started. */
	public static final int ALREADY_RUNNING = 3;

	/** MESH jobs are switched off ({@code mesh.jobs-enabled=false}); nothing was done. */
	public static final int DISABLED = 4;

	/** Unknown command or bad arguments (sysexits EX_USAGE). */
	public static final int USAGE = 64;

	/** A setting is missing or invalid; the application did not start (sysexits EX_CONFIG). */
	public static final int BAD_CONFIGURATION = 78;

	private ExitCodes() {
	}

}
