package uk.nhs.vaccinations.dpsexport.export.job;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;
import org.springframework.transaction.support.TransactionTemplate;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileCheck;
import uk.nhs.vaccinations.dpsexport.dps.FileSummary;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.OutgoingMessage;
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.TrackingInfo;
import uk.nhs.vaccinations.dpsexport.mesh.MeshException;
import uk.nhs.vaccinations.dpsexport.mesh.MeshProperties;
import uk.nhs.vaccinations.dpsexport.runs.RunLease;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;

/**
 * Step 4: send the sealed file to the DPS mailbox, once it passes the checks DPS makes of a whole
 * file. Each fact about the upload is committed, in a transaction of its own, as soon as it is
 * known: UPLOADING before anything goes out, the time of each first POST before it goes, the
 * message id as soon as MESH names it, and each chunk MESH takes. So a restart knows which case
 * it is in:
 * <ul>
 * <li>message id stored: ask MESH about it, and send only the chunks it is missing;
 * <li>a first POST went out and no id came back: look the message up by its local id and adopt
 * it if found; if not, send again only once mesh.send-settle-time has passed since that POST (MESH
 * may store a request after the client gave up on it), and until then fail, saying when;
 * <li>otherwise nothing went out: send.
 * </ul>
 */
class UploadTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(UploadTasklet.class);

	private final ExportRepository exports;

	private final Supplier<MeshClient> mesh;

	private final MeshProperties meshProperties;

	private final String supplierOdsCode;

	private final TransactionTemplate ownTransaction;

	private final RunLease lease;

	UploadTasklet(ExportRepository exports, Supplier<MeshClient> mesh, MeshProperties meshProperties,
			String supplierOdsCode, TransactionTemplate ownTransaction, RunLease lease) {
		this.lease = lease;
		this.exports = exports;
		this.mesh = mesh;
		this.meshProperties = meshProperties;
		this.supplierOdsCode = supplierOdsCode;
		this.ownTransaction = ownTransaction;
	}

	/**
	 * A file sealed moments ago by this same execution only needs its size checked; a file sealed by
	 * an earlier execution (this is a restart, perhaps days later) is hashed again in full.
	 */
	private static boolean unchangedSinceSealed(DpsExport export, StepExecution upload) throws IOException {
		if (!Files.isRegularFile(export.filePath())) {
			return false;
		}
		boolean sealedInThisExecution = upload.getJobExecution()
			.getStepExecutions()
			.stream()
			.anyMatch(step -> step.getStepName().equals(ExportJob.SEAL) && export.fileSha256()
				.equals(step.getExecutionContext().getString(SealFileTasklet.SEALED_SHA256, null)));
		if (sealedInThisExecution) {
			return export.fileSizeBytes() != null && Files.size(export.filePath()) == export.fileSizeBytes();
		}
		return FileSummary.of(export.filePath()).sha256().equals(export.fileSha256());
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		DpsExport export = this.exports.get(ExportJob.exportId(contribution.getStepExecution().getJobExecution()));
		var context = contribution.getStepExecution().getExecutionContext();
		switch (export.status()) {
			case UPLOADED, SENT, ACKNOWLEDGED, UNDELIVERABLE -> {
				log.info("Export {} was already uploaded as MESH message {}", export.localId(), export.meshMessageId());
				context.putString("meshMessageId", export.meshMessageId());
				return RepeatStatus.FINISHED;
			}
			case CLAIMED -> throw new IllegalStateException("Export " + export.localId() + " has not been sealed");
			default -> {
			}
		}
		if (export.rowCount() != null && export.rowCount() == 0) {
			log.warn("Export {}: every claimed record was rejected; there is no file to send", export.localId());
			return RepeatStatus.FINISHED;
		}
		long instance = contribution.getStepExecution().getJobExecution().getJobInstance().getInstanceId();
		if (!unchangedSinceSealed(export, contribution.getStepExecution())) {
			throw lostFile(export, instance);
		}
		// Last, before anything may leave: the checks DPS makes of a whole file. The export stays as it
		// is when they fail, so once the cause is fixed a restart checks again and sends.
		DpsFileCheck.check(export.filePath(), export.fileName(), this.supplierOdsCode, export.rowCount());
		if (export.status() == ExportStatus.WRITTEN) {
			inOwnTransaction(() -> {
				this.lease.check(instance, "starting the upload");
				this.exports.markUploading(export.id());
			});
		}
		long id = export.id();
		// whatever this run sends, or adopts without sending, nothing a killed attempt left stays behind
		MeshClient.deleteLeftoverChunks(export.filePath());
		MeshClient client = this.mesh.get();
		long chunkBytes = this.meshProperties.chunkSize().toBytes();
		long started = System.nanoTime();
		MeshClient.Progress progress = new MeshClient.Progress() {
			private int sentThisRun;

			@Override
			public void messageId(String messageId) {
				inOwnTransaction(() -> UploadTasklet.this.exports.recordMessageId(id, messageId));
			}

			@Override
			public void chunkSent(int k, int n) {
				inOwnTransaction(() -> UploadTasklet.this.exports.recordChunkSent(id, k));
				if (n > 1) {
					double seconds = Math.max(1e-3, (System.nanoTime() - started) / 1e9);
					double mbPerSecond = ++this.sentThisRun * (double) chunkBytes / 1e6 / seconds;
					log.info("Export {}: MESH chunk {} of {} sent, {} to go ({} MB/s of file data)", export.fileName(),
							k, n, n - k, String.format("%.1f", mbPerSecond));
				}
			}

			@Override
			public void beforeChunk(int k, int n) {
				UploadTasklet.this.lease.check(instance, "sending chunk " + k + " of " + n);
			}
		};
		String messageId = resumeOrAdopt(export, client, progress);
		boolean resumed = messageId != null;
		if (messageId == null) {
			int chunks = client.chunks(export.filePath());
			inOwnTransaction(() -> {
				// the one step that could make a second message: only the lease's owner takes it
				this.lease.check(instance, "the first POST of the message");
				this.exports.recordFirstPost(id, chunks);
			});
			try {
				messageId = client.send(export.filePath(), new OutgoingMessage(this.meshProperties.dpsMailbox(),
						this.meshProperties.workflowId(), export.fileName(), export.localId().toString(), null), progress)
					.messageId();
			}
			catch (MeshException ex) {
				if (!ex.outcomeUnknown()) {
					// MESH refused it, or was never reached: nothing to wait for before trying again
					inOwnTransaction(() -> this.exports.clearFirstPost(id));
				}
				throw ex;
			}
		}
		String uploaded = messageId;
		inOwnTransaction(() -> this.exports.markUploaded(id, uploaded));
		context.putString("meshMessageId", messageId);
		contribution.incrementWriteCount(export.rowCount());
		log.info("Export {} ({}, {} rows) is MESH message {} to {}{}", export.localId(), export.fileName(),
				export.rowCount(), messageId, this.meshProperties.dpsMailbox(),
				resumed ? ", completed from an earlier attempt" : "");
		return RepeatStatus.FINISHED;
	}

	/** The message an earlier attempt started, completed; or null when a new one is to be sent. */
	private String resumeOrAdopt(DpsExport export, MeshClient client, MeshClient.Progress progress) {
		if (export.meshMessageId() != null) {
			TrackingInfo tracked = client.track(export.meshMessageId());
			requireUsable(export, tracked);
			if (tracked.isUploading()) {
				client.resume(export.filePath(), export.meshMessageId(), export.meshChunksSent() + 1, progress);
			}
			return export.meshMessageId();
		}
		if (export.meshFirstPostAt() == null) {
			return null;
		}
		String localId = export.localId().toString();
		log.info("Export {}: the outcome of its first POST at {} is unknown; asking MESH for local id {}",
				export.fileName(), export.meshFirstPostAt(), localId);
		Optional<TrackingInfo> found = client.findByLocalId(localId);
		if (found.isPresent()) {
			TrackingInfo adopted = found.get();
			requireUsable(export, adopted);
			log.info("Export {}: MESH has it as message {} ({}); adopting it", export.fileName(), adopted.messageId(),
					adopted.status());
			progress.messageId(adopted.messageId());
			if (adopted.isUploading()) {
				// which chunks arrived is not known: every later one goes again, and MESH keeps the last copy
				client.resume(export.filePath(), adopted.messageId(), 2, progress);
			}
			return adopted.messageId();
		}
		Duration settle = this.meshProperties.sendSettleTime();
		if (!this.exports.firstPostSettled(export.id(), settle)) {
			throw new IllegalStateException("Export " + export.fileName() + " is not sent again yet: the outcome of "
					+ "its first POST to MESH at " + export.meshFirstPostAt() + " is unknown and MESH has no message with "
					+ "local id " + localId + " so far. MESH can store a request late, so it goes again only once "
					+ "mesh.send-settle-time (" + settle + ") has passed since then, at "
					+ export.meshFirstPostAt().plus(settle) + ", and MESH still has none; restart after that");
		}
		log.info("Export {}: MESH still has no message with local id {}, {} after the uncertain POST; sending it again",
				export.fileName(), localId, settle);
		return null;
	}

	/**
	 * The sealed file is missing or changed. If none of it went to MESH, the export is reset and the
	 * next run writes it again from its claimed records; otherwise it cannot be: MESH may hold part
	 * or all of what was sealed, and only that file may complete it.
	 */
	private IllegalStateException lostFile(DpsExport export, long instance) throws IOException {
		String what = "DPS file " + export.filePath() + " of export " + export.localId() + " is missing or changed "
				+ "since it was sealed";
		if (export.meshMessageId() == null && export.meshFirstPostAt() == null) {
			boolean[] reset = new boolean[1];
			inOwnTransaction(() -> {
				this.lease.check(instance, "resetting the export");
				reset[0] = this.exports.resetToClaimed(export.id());
			});
			if (reset[0]) {
				Files.deleteIfExists(export.filePath());
				return new IllegalStateException(what + ", and none of it had gone to MESH: the export is reset, and "
						+ "the next run (or restart) writes the file again from its claimed records");
			}
		}
		return new IllegalStateException(what + ", after its upload had started ("
				+ (export.meshMessageId() != null ? "MESH message " + export.meshMessageId()
						: "first POST at " + export.meshFirstPostAt())
				+ "); refusing to send it. MESH may hold part or all of the file as sealed, so it cannot be written "
				+ "again: restore it from a backup (its SHA-256 must be " + export.fileSha256() + ") and restart; see "
				+ "the README, 'A sealed file lost during its upload'");
	}

	private static void requireUsable(DpsExport export, TrackingInfo tracked) {
		if ("error".equals(tracked.status())) {
			throw new IllegalStateException("MESH holds message " + tracked.messageId() + " of export "
					+ export.fileName() + " in status error; it needs a person to look at it");
		}
	}

	private void inOwnTransaction(Runnable work) {
		this.ownTransaction.executeWithoutResult(status -> work.run());
	}

}
