package uk.nhs.vaccinations.dpsexport.export.job;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobExecutionAlreadyRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.runs.MeshJobsGate;
import uk.nhs.vaccinations.dpsexport.runs.JobRuns;
import uk.nhs.vaccinations.dpsexport.runs.RunOutcome;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportSelection;

/**
 * The {@code export} command's work: for each programme, first restart any earlier export that
 * is unfinished (same identifying parameters, so the same instance), then launch tonight's.
 * Programmes run side by side (dps.parallelism at a time) and never block each other: a failure
 * is reported and the other programmes still run.
 */
@Component
public class ExportLauncher {

	private static final Logger log = LoggerFactory.getLogger(ExportLauncher.class);

	public record ProgrammeResult(Programme programme, RunOutcome outcome, Long executionId, String detail) {
	}

	private final Job dpsExportJob;

	private final ExportRepository exports;

	private final ExportSelection selection;

	private final JobRuns runs;

	private final MeshJobsGate gate;

	private final ClaimTurns turns;

	private final int parallelism;

	public ExportLauncher(@Qualifier("dpsExportJob") Job dpsExportJob,
			ExportRepository exports, ExportSelection selection, JobRuns runs, MeshJobsGate gate,
			ExportProperties properties, ClaimTurns turns) {
		this.turns = turns;
		this.parallelism = properties.parallelism();
		this.dpsExportJob = dpsExportJob;
		this.exports = exports;
		this.selection = selection;
		this.runs = runs;
		this.gate = gate;
	}

	public List<ProgrammeResult> exportAll(LocalDate runDate, Collection<Programme> programmes) {
		List<ProgrammeResult> results = new ArrayList<>();
		if (!this.gate.enabled()) {
			log.warn(MeshJobsGate.disabledMessage("export"));
			programmes.forEach(p -> results.add(new ProgrammeResult(p, RunOutcome.DISABLED, null, "MESH jobs disabled")));
			return results;
		}
		// Programmes share nothing but the database, so they run side by side; results keep their order.
		ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(this.parallelism, programmes.size())));
		try {
			// Claims take turns, largest first: the largest export is the one the others finish
			// before, and each later claim starts as soon as the one before it has ended, beside
			// the earlier programmes' file steps.
			Map<Programme, Future<ProgrammeResult>> running = new EnumMap<>(Programme.class);
			for (Programme programme : this.exports.largestFirst(programmes)) {
				CompletableFuture<Void> claimed = this.turns.next(programme);
				CompletableFuture<ProgrammeResult> export = CompletableFuture.supplyAsync(() -> export(programme, runDate),
						pool);
				running.put(programme, export);
				// an export that ends before claiming (nothing to send, a failure) ends its turn too
				CompletableFuture.anyOf(claimed, export).exceptionally(failure -> null).join();
			}
			for (Programme programme : programmes) {
				results.add(outcome(programme, running.get(programme)));
			}
		}
		finally {
			pool.shutdown();
		}
		return results;
	}

	private static ProgrammeResult outcome(Programme programme, Future<ProgrammeResult> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new ProgrammeResult(programme, RunOutcome.FAILED, null, "interrupted");
		}
		catch (ExecutionException ex) {
			log.error("{}: the export failed unexpectedly", programme.displayName(), ex.getCause());
			return new ProgrammeResult(programme, RunOutcome.FAILED, null, String.valueOf(ex.getCause().getMessage()));
		}
	}

	public ProgrammeResult export(Programme programme, LocalDate runDate) {
		for (DpsExport earlier : this.exports.unfinished(programme)) {
			if (earlier.runDate().isBefore(runDate)) {
				log.info("{}: the export of {} is unfinished ({}); restarting its dpsExportJob instance before {}",
						programme.displayName(), earlier.runDate(), earlier.status(), runDate);
				ProgrammeResult restarted = launch(programme, earlier.runDate());
				if (restarted.outcome() != RunOutcome.COMPLETED) {
					String detail = "the unfinished export of " + earlier.runDate() + " did not complete ("
							+ restarted.outcome() + ": " + restarted.detail() + "); the export of " + runDate
							+ " was not started";
					log.error("{}: {}", programme.displayName(), detail);
					return new ProgrammeResult(programme, restarted.outcome(), restarted.executionId(), detail);
				}
			}
		}
		JobParameters parameters = ExportJob.parameters(programme, runDate);
		boolean instanceExists = this.runs.instance(ExportJob.NAME, parameters) != null;
		if (!instanceExists && !this.selection.hasPendingRecords(programme)) {
			log.info("{} {}: nothing to send", programme.displayName(), runDate);
			return new ProgrammeResult(programme, RunOutcome.NOTHING_TO_SEND, null, "no records to send");
		}
		return launch(programme, runDate);
	}

	private ProgrammeResult launch(Programme programme, LocalDate runDate) {
		JobParameters parameters = ExportJob.parameters(programme, runDate);
		String what = "dpsExportJob for " + programme.displayName() + " " + runDate;
		try {
			Optional<JobExecution> last = this.runs.lastExecution(ExportJob.NAME, parameters);
			if (last.isPresent() && last.get().getStatus() != BatchStatus.COMPLETED) {
				this.runs.prepareRestart(last.get());
				log.info("Restarting {} (execution {} ended {})", what, last.get().getId(), last.get().getStatus());
			}
			JobExecution execution = this.runs.start(this.dpsExportJob, parameters);
			return result(programme, execution);
		}
		catch (JobRuns.NotRestartableException ex) {
			log.warn("{}: {}", what, ex.getMessage());
			return new ProgrammeResult(programme, ex.running() ? RunOutcome.ALREADY_RUNNING : RunOutcome.FAILED, null,
					ex.getMessage());
		}
		catch (JobExecutionAlreadyRunningException ex) {
			String detail = what + " is already running; not started again";
			log.warn(detail);
			return new ProgrammeResult(programme, RunOutcome.ALREADY_RUNNING, null, detail);
		}
		catch (JobInstanceAlreadyCompleteException ex) {
			String detail = what + " already completed; records changed since go in the next run date's export";
			log.info(detail);
			return new ProgrammeResult(programme, RunOutcome.ALREADY_COMPLETE, null, detail);
		}
		catch (Exception ex) {
			log.error("{} could not be launched", what, ex);
			return new ProgrammeResult(programme, RunOutcome.FAILED, null, ex.getMessage());
		}
	}

	/**
	 * The message an operator can act on: Spring Batch wraps a writer's failure as "Unable to process
	 * chunk", so the first message along the causes that carries the root cause's own words wins
	 * (for a full disk: the file's path and "No space left on device").
	 */
	static String telling(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String rootMessage = root.getMessage();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause.getMessage() != null && rootMessage != null && cause.getMessage().contains(rootMessage)) {
				return cause.getMessage();
			}
			if (cause == cause.getCause()) {
				break;
			}
		}
		return failure.getMessage() == null ? root.toString() : failure.getMessage();
	}

	static ProgrammeResult result(Programme programme, JobExecution execution) {
		String exit = execution.getExitStatus().getExitCode();
		if (execution.getStatus() == BatchStatus.COMPLETED) {
			return new ProgrammeResult(programme, RunOutcome.of(execution), execution.getId(), exit);
		}
		String detail = execution.getAllFailureExceptions()
			.stream()
			.map(ExportLauncher::telling)
			.findFirst()
			.orElse(execution.getExitStatus().getExitDescription());
		return new ProgrammeResult(programme, RunOutcome.FAILED, execution.getId(), detail);
	}

}
