package uk.nhs.vaccinations.dpsexport.export.job;

import java.util.function.LongSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

import uk.nhs.vaccinations.dpsexport.dps.DpsRow;

/**
 * A line every ten seconds while a file is written: how far, how fast, and about how long is left,
 * so an operator watching a national export can tell slow from stuck.
 */
class WriteProgress implements StepExecutionListener, ItemWriteListener<DpsRow> {

	private static final Logger log = LoggerFactory.getLogger("dps.export.progress");

	private static final long EVERY_NANOS = 10_000_000_000L;

	private String programme;

	private long claimed;

	private long written;

	private long writtenAtStart;

	private long started;

	private long lastLine;

	private final LongSupplier nanoTime;

	WriteProgress() {
		this(System::nanoTime);
	}

	WriteProgress(LongSupplier nanoTime) {
		this.nanoTime = nanoTime;
	}

	@Override
	public void beforeStep(StepExecution step) {
		this.programme = ExportJob.programme(step.getJobParameters()).displayName();
		this.claimed = step.getJobExecution().getExecutionContext().getLong(ExportJob.CLAIMED_COUNT, 0);
		this.written = this.writtenAtStart = step.getWriteCount();
		this.started = this.lastLine = this.nanoTime.getAsLong();
	}

	@Override
	public void afterWrite(Chunk<? extends DpsRow> rows) {
		this.written += rows.size();
		long now = this.nanoTime.getAsLong();
		if (now - this.lastLine < EVERY_NANOS) {
			return;
		}
		this.lastLine = now;
		double perSecond = (this.written - this.writtenAtStart) / ((now - this.started) / 1e9);
		long left = Math.max(0, this.claimed - this.written);
		log.info("{}: {} of {} claimed records written ({} a second), about {} s left", this.programme, this.written,
				this.claimed, Math.round(perSecond), perSecond > 0 ? Math.round(left / perSecond) : "?");
	}

}
