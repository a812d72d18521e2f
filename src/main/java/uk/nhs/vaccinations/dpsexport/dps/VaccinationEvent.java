package uk.nhs.vaccinations.dpsexport.dps;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * Everything one DPS row is made from: a claimed vaccination record joined with its patient,
 * session, vaccine, batch and vaccinator. Nullable fields are nullable in the source too.
 *
 * @param performerGivenName the recording user's name, else the free-text name on the record
 */
public record VaccinationEvent(long exportId, long recordId, UUID uuid, String actionFlag, String programmeType,
		String procedureCode, String procedureTerm, String nhsNumber, String givenName, String familyName,
		LocalDate dateOfBirth, Integer genderCode, String postcode, Instant performedAt, String organisationOdsCode,
		String performerGivenName, String performerFamilyName, Instant createdAt, Integer doseSequence,
		String vaccineProductCode, String vaccineProductTerm, String vaccineManufacturer,
		BigDecimal vaccineDoseVolumeMl, boolean fullDose, String batchName, LocalDate batchExpiry,
		String deliverySite, String deliveryMethod, String locationType, String locationUrn,
		String locationOdsCode) {

	public boolean isDelete() {
		return "delete".equals(this.actionFlag);
	}

}
