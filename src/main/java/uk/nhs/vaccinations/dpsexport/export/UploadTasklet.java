package uk.nhs.vaccinations.dpsexport.export;

import java.io.IOException;
import java.nio.file.Files;
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
import uk.nhs.vaccinations.dpsexport.mesh.MeshClient.SendResult;
import uk.nhs.vaccinations.dpsexport.mesh.MeshProperties;

/**
 * Step 4: send the sealed file to the DPS mailbox, once it passes the checks DPS makes of a whole
 * file. UPLOADING is committed (in a transaction of its own) before the first byte goes out, and the message id as soon as MESH accepts. A
 * restart that finds UPLOADING cannot know whether MESH got the message, so it looks for the
 * export's local id first and sends only if MESH has none.
 */
class UploadTasklet implements Tasklet {

	private static final Logger log = LoggerFactory.getLogger(UploadTasklet.class);

	private final ExportRepository exports;

	private final Supplier<MeshClient> mesh;

	private final MeshProperties meshProperties;

	private final String supplierOdsCode;

	private final TransactionTemplate ownTransaction;

	UploadTasklet(ExportRepository exports, Supplier<MeshClient> mesh, MeshProperties meshProperties,
			String supplierOdsCode, TransactionTemplate ownTransaction) {
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
			.anyMatch(step -> step.getStepName().equals("seal") && export.fileSha256()
				.equals(step.getExecutionContext().getString(SealFileTasklet.SEALED_SHA256, null)));
		if (sealedInThisExecution) {
			return export.fileSizeBytes() != null && Files.size(export.filePath()) == export.fileSizeBytes();
		}
		return FileSummary.of(export.filePath()).sha256().equals(export.fileSha256());
	}

	@Override
	public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws Exception {
		DpsExport export = DpsExportJobConfig.currentExport(this.exports,
				contribution.getStepExecution().getJobParameters());
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
		if (!unchangedSinceSealed(export, contribution.getStepExecution())) {
			throw new IllegalStateException("DPS file " + export.filePath() + " of export " + export.localId()
					+ " is missing or changed since it was sealed; refusing to send it");
		}
		// Last, before anything may leave: the checks DPS makes of a whole file. The export stays as it
		// is when they fail, so once the cause is fixed a restart checks again and sends.
		DpsFileCheck.check(export.filePath(), export.fileName(), this.supplierOdsCode, export.rowCount());
		boolean outcomeUnknown = export.status() == ExportStatus.UPLOADING;
		if (outcomeUnknown) {
			log.info("Export {} was being uploaded when the last run stopped; asking MESH for local id {} first",
					export.fileName(), export.localId());
		}
		else {
			this.ownTransaction.executeWithoutResult(status -> this.exports.markUploading(export.id()));
		}
		MeshClient client = this.mesh.get();
		SendResult sent = client.send(export.filePath(), new OutgoingMessage(this.meshProperties.dpsMailbox(),
				this.meshProperties.workflowId(), export.fileName(), export.localId().toString(), null), outcomeUnknown);
		this.ownTransaction.executeWithoutResult(status -> this.exports.markUploaded(export.id(), sent.messageId()));
		context.putString("meshMessageId", sent.messageId());
		context.putInt("meshChunks", sent.chunks());
		contribution.incrementWriteCount(export.rowCount());
		log.info("Export {} ({}, {} rows) is MESH message {} to {} in {} chunk(s){}", export.localId(),
				export.fileName(), export.rowCount(), sent.messageId(), this.meshProperties.dpsMailbox(), sent.chunks(),
				sent.resumed() ? ", found again by its local id" : "");
		return RepeatStatus.FINISHED;
	}

}
