package uk.nhs.vaccinations.dpsexport.export.job;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.stereotype.Component;

import uk.nhs.vaccinations.dpsexport.dps.Programme;

/**
 * Tells the launcher when a programme's claim step has ended, so it can give the claims their turns
 * largest first. Claims run one at a time anyway ({@code ExportSelection.lockClaims}); without
 * turns, whichever reached the lock first claimed first, and the largest programme, the one every
 * export waits for, often claimed last.
 */
@Component
public class ClaimTurns implements StepExecutionListener {

	private final Map<Programme, CompletableFuture<Void>> claims = new ConcurrentHashMap<>();

	/** Completes when the programme's next claim step ends, however it ends. */
	CompletableFuture<Void> next(Programme programme) {
		return this.claims.computeIfAbsent(programme, p -> new CompletableFuture<>());
	}

	@Override
	public ExitStatus afterStep(StepExecution stepExecution) {
		CompletableFuture<Void> claim = this.claims.remove(ExportJob.programme(stepExecution.getJobParameters()));
		if (claim != null) {
			claim.complete(null);
		}
		return null;
	}

}
