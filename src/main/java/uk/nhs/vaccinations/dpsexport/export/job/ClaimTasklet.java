package uk.nhs.vaccinations.dpsexport.export.job;

import java.time.Clock;
import java.time.LocalDate;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportSelection;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;

/**
 * Step 1: in the step's one transaction, create the programme's export for this run date and
 * claim its records. A restarted instance finds its export and claims nothing more.
 */
class ClaimTasklet implements Tasklet {

	static final ExitStatus NOTHING_TO_SEND = new ExitStatus(RunOutcome.NOTHING_TO_SEND_EXIT_CODE, "No records to send");

	private static final Logger log = LoggerFactory.getLogger(ClaimTasklet.class);

	private final ExportRepository exports;

	private final ExportSelection selection;

	private final ExportProperties properties;

	private final Clock clock;

	ClaimTasklet(ExportRepository exports, ExportSelection selection, ExportProperties properties, Clock clock) {
		this.exports = exports;
		this.selection = selection;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
		Programme programme = ExportJob.programme(contribution.getStepExecution().getJobParameters());
		LocalDate runDate = ExportJob.runDate(contribution.getStepExecution().getJobParameters());
		Optional<DpsExport> existing = this.exports.find(programme, runDate);
		DpsExport export;
		if (existing.isPresent()) {
			export = existing.get();
			log.info("{} {}: reusing export {} ({}, {} records claimed earlier, file {}); nothing new is claimed",
					programme.displayName(), runDate, export.localId(), export.status(), export.claimedCount(),
					export.fileName());
		}
		else {
			this.selection.lockClaims();
			// The DPS file name is fixed here, with the export, and kept by every restart.
			long id = this.exports
				.create(programme, runDate, this.properties.supplierOdsCode(), this.clock.instant(),
						this.properties.outputDir())
				.id();
			Map<String, Integer> byAction = this.selection.claim(id, programme);
			int claimed = byAction.values().stream().mapToInt(Integer::intValue).sum();
			if (claimed == 0) {
				this.exports.delete(id);
				log.info("{} {}: no records to send", programme.displayName(), runDate);
				contribution.setExitStatus(NOTHING_TO_SEND);
				return RepeatStatus.FINISHED;
			}
			export = this.exports.get(id);
			log.info("{} {}: claimed {} records {} into export {}, file {}", programme.displayName(), runDate, claimed,
					byAction, export.localId(), export.fileName());
		}
		contribution.incrementWriteCount(export.claimedCount());
		// for the later steps, through the job's context (promoted when this step completes)
		var context = contribution.getStepExecution().getExecutionContext();
		context.putLong(ExportJob.EXPORT_ID, export.id());
		context.putString(ExportJob.FILE_PATH, export.filePath().toString());
		context.putLong(ExportJob.CLAIMED_COUNT, export.claimedCount());
		return RepeatStatus.FINISHED;
	}

}
