package uk.nhs.vaccinations.dpsexport.dps;

import java.util.List;

/**
 * The physical contract of a DPS vaccination file (../shared/docs/dps-file-format.md): column
 * order and constants; the name is {@link DpsFileName}. What must match DPS byte for byte lives here.
 */
public final class DpsFileFormat {

	public static final List<String> COLUMNS = List.of("NHS_NUMBER", "PERSON_FORENAME", "PERSON_SURNAME",
			"PERSON_DOB", "PERSON_GENDER_CODE", "PERSON_POSTCODE", "DATE_AND_TIME", "SITE_CODE",
			"SITE_CODE_TYPE_URI", "UNIQUE_ID", "UNIQUE_ID_URI", "ACTION_FLAG", "PERFORMING_PROFESSIONAL_FORENAME",
			"PERFORMING_PROFESSIONAL_SURNAME", "RECORDED_DATE", "PRIMARY_SOURCE", "VACCINATION_PROCEDURE_CODE",
			"VACCINATION_PROCEDURE_TERM", "DOSE_SEQUENCE", "VACCINE_PRODUCT_CODE", "VACCINE_PRODUCT_TERM",
			"VACCINE_MANUFACTURER", "BATCH_NUMBER", "EXPIRY_DATE", "SITE_OF_VACCINATION_CODE",
			"SITE_OF_VACCINATION_TERM", "ROUTE_OF_VACCINATION_CODE", "ROUTE_OF_VACCINATION_TERM", "DOSE_AMOUNT",
			"DOSE_UNIT_CODE", "DOSE_UNIT_TERM", "INDICATION_CODE", "LOCATION_CODE", "LOCATION_CODE_TYPE_URI");

	public static final char SEPARATOR = '|';

	public static final char QUOTE = '"';

	public static final String LINE_END = "\n";

	public static final String ODS_ORGANISATION_URI = "https://fhir.nhs.uk/Id/ods-organization-code";

	public static final String SCHOOL_URN_URI = "https://fhir.hl7.org.uk/Id/urn-school-number";

	public static final String DEFAULT_UNIQUE_ID_URI = "https://manage-vaccinations-in-schools.nhs.uk/vaccination-records";

	public static final String PRIMARY_SOURCE = "TRUE";

	public static final String DOSE_UNIT_CODE = "258773002";

	public static final String DOSE_UNIT_TERM = "Milliliter (qualifier value)";

	private DpsFileFormat() {
	}

}
