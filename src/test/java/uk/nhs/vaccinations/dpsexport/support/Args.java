package uk.nhs.vaccinations.dpsexport.support;

/** Command lines for tests that run the application's main entry in process. */
public final class Args {

	private Args() {
	}

	/** The command, then the settings. */
	public static String[] with(String command, String... settings) {
		String[] args = new String[settings.length + 1];
		args[0] = command;
		System.arraycopy(settings, 0, args, 1, settings.length);
		return args;
	}

}
