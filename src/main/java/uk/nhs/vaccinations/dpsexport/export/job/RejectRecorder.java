package uk.nhs.vaccinations.dpsexport.export.job;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.SkipListener;

import uk.nhs.vaccinations.dpsexport.dps.DpsRow;
import uk.nhs.vaccinations.dpsexport.dps.UnmappableRecordException;
import uk.nhs.vaccinations.dpsexport.dps.VaccinationEvent;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;

/**
 * Writes each skipped record to dps_export_rejects with its reason. Batch calls this inside the
 * chunk transaction, so a reject is stored exactly when the rows around it are committed.
 */
class RejectRecorder implements SkipListener<VaccinationEvent, DpsRow> {

	private static final Logger log = LoggerFactory.getLogger(RejectRecorder.class);

	private final ExportRepository exports;

	RejectRecorder(ExportRepository exports) {
		this.exports = exports;
	}

	@Override
	public void onSkipInProcess(VaccinationEvent event, Throwable failure) {
		UnmappableRecordException unmappable = failure instanceof UnmappableRecordException u ? u : null;
		String reason = unmappable != null ? unmappable.reason()
				: failure.getClass().getSimpleName() + ": " + failure.getMessage();
		this.exports.recordReject(event.exportId(), event.recordId(), event.uuid(),
				unmappable == null ? null : unmappable.column(), reason);
		log.warn("Rejected vaccination record {} (action {}): {}. It stays unsent and is tried again next run",
				event.uuid() == null ? "id " + event.recordId() : event.uuid(), event.actionFlag(), reason);
	}

}
