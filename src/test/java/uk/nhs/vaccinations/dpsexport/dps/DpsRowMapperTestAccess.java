package uk.nhs.vaccinations.dpsexport.dps;

/** Exposes the mapper test's hand-written lines to tests in other packages. */
public final class DpsRowMapperTestAccess {

	public static final String HEADER_LINE = DpsRowMapperTest.HEADER_LINE;

	public static final String WORKED_EXAMPLE_LINE = DpsRowMapperTest.WORKED_EXAMPLE_LINE;

	private DpsRowMapperTestAccess() {
	}

}
