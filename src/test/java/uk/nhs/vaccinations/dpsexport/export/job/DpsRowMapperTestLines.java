package uk.nhs.vaccinations.dpsexport.export.job;

import uk.nhs.vaccinations.dpsexport.dps.DpsRowMapperTestAccess;

/** The hand-written expected lines, shared with the mapper's unit test. */
final class DpsRowMapperTestLines {

	static final String HEADER = DpsRowMapperTestAccess.HEADER_LINE;

	static final String WORKED_EXAMPLE = DpsRowMapperTestAccess.WORKED_EXAMPLE_LINE;

	private DpsRowMapperTestLines() {
	}

}
