package uk.nhs.vaccinations.dpsexport.export.job;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

import uk.nhs.vaccinations.dpsexport.dps.DpsFileName;
import uk.nhs.vaccinations.dpsexport.dps.DpsReceiver;
import uk.nhs.vaccinations.dpsexport.dps.Programme;
import uk.nhs.vaccinations.dpsexport.support.PostgresTest;
import uk.nhs.vaccinations.dpsexport.support.TestData;
import uk.nhs.vaccinations.dpsexport.support.TestMesh;
import uk.nhs.vaccinations.dpsexport.mesh.sandbox.MeshSandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import uk.nhs.vaccinations.dpsexport.exports.DpsExport;
import uk.nhs.vaccinations.dpsexport.exports.ExportRepository;
import uk.nhs.vaccinations.dpsexport.exports.ExportSelection;
import uk.nhs.vaccinations.dpsexport.exports.ExportStatus;

/** dpsExportJob on real PostgreSQL: what is selected, what the file holds, what is rejected. */
@PostgresTest
@TestPropertySource(properties = "dps.output-dir=target/test-dps-files/DpsExportJobTest")
class DpsExportJobTest {

	static final LocalDate DAY_1 = LocalDate.of(2026, 11, 23);

	static final LocalDate DAY_2 = LocalDate.of(2026, 11, 24);

	@Autowired
	JobOperator jobOperator;

	@Autowired
	Job dpsExportJob;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ExportRepository exports;

	@Autowired
	ExportSelection selection;

	TestData data;

	long session;

	long patient;

	@BeforeEach
	void setUp() {
		this.data = new TestData(this.jdbc);
		this.data.reset();
		long org = this.data.organisation("R1L");
		this.session = this.data.session(org, this.data.school("123456"), "hpv");
		this.patient = this.data.patient();
	}

	@Test
	void theWorkedExampleIsWrittenByteForByte() throws Exception {
		long patient = this.data.patient("9990000018", "Ella", "Smith", LocalDate.of(2012, 12, 29), 2, "SW1A 1AA");
		long jane = this.data.user("Jane", "Doe");
		long batch = this.data.batch("gardasil_9", "AB1234", LocalDate.of(2025, 7, 1));
		this.data.record(patient, this.session, "gardasil_9")
			.uuid(UUID.fromString("ea4860a5-6d97-4f31-b640-f5c50f43bfd2"))
			.performedAt(ZonedDateTime.of(2024, 6, 12, 11, 28, 31, 0, ZoneId.of("Europe/London")).toInstant())
			.createdAt(Instant.parse("2024-07-23T08:00:00Z"))
			.by(jane)
			.batch(batch)
			.insert();

		JobExecution execution = run(Programme.HPV, DAY_1);

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		DpsExport export = this.exports.find(Programme.HPV, DAY_1).orElseThrow();
		// named for DPS as created: HPV, the supplier's ODS code, the creation time in London
		assertThat(export.fileName()).isEqualTo(DpsFileName.of(Programme.HPV, "V0V8L", createdAt(export)))
			.matches("HPV_Vaccinations_v5_V0V8L_\\d{8}T\\d{6}0[01]\\.csv");
		assertThat(export.filePath().getFileName()).hasToString(export.fileName());
		byte[] expected = (DpsRowMapperTestLines.HEADER + "\n" + DpsRowMapperTestLines.WORKED_EXAMPLE + "\n")
			.getBytes(StandardCharsets.UTF_8);
		assertThat(Files.readAllBytes(export.filePath())).isEqualTo(expected);
		assertThat(export.status()).isEqualTo(ExportStatus.SENT);
		// What reached the DPS mailbox is the file, byte for byte, under its DPS name.
		MeshSandbox.Message delivered = delivered(export);
		assertThat(delivered.payload()).isEqualTo(expected);
		assertThat(delivered.fileName).isEqualTo(export.fileName());
		assertThat(new DpsReceiver().receive(delivered.fileName, delivered.payload()).clean()).isTrue();
		assertThat(delivered.workflowId).isEqualTo("dps export");
		assertThat(delivered.id).isEqualTo(export.meshMessageId());
		assertThat(export.rowCount()).isEqualTo(1);
		assertThat(export.fileSizeBytes()).isEqualTo(expected.length);
		String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected));
		assertThat(export.fileSha256()).isEqualTo(sha256);
		// the seal took the writer's hash, handed over through the job's context, rather than reading the file again
		assertThat(execution.getExecutionContext().getString(ExportJob.FILE_WRITER + ".sha256")).isEqualTo(sha256);
	}

	@Test
	void onlyKeptAdministeredSessionRecordsAreSelected() throws Exception {
		long exported = record().insert();
		record().discardedAt(Instant.parse("2025-10-02T00:00:00Z")).insert();
		record().outcome("refused").insert();
		record().noSession().insert();

		run(Programme.HPV, DAY_1);

		assertThat(fileRows(Programme.HPV, DAY_1)).extracting(r -> r.get("UNIQUE_ID"))
			.containsExactly(this.data.uuid(exported).toString());
	}

	@Test
	void sentRecordsGoAgainOnlyWhenChangedAsUpdateOrWhenDiscardedAsDelete() throws Exception {
		long unchanged = record().insert();
		long changed = record().insert();
		long discarded = record().insert();
		run(Programme.HPV, DAY_1);

		this.data.touch(changed);
		this.data.discard(discarded);
		long fresh = record().insert();
		run(Programme.HPV, DAY_2);

		assertThat(fileRows(Programme.HPV, DAY_2)).extracting(r -> r.get("UNIQUE_ID") + " " + r.get("ACTION_FLAG"))
			.containsExactlyInAnyOrder(uuid(changed) + " update", uuid(discarded) + " delete", uuid(fresh) + " new")
			.noneMatch(line -> line.startsWith(uuid(unchanged)));

		// Once the delete is sent, the discarded record never goes again.
		assertThat(this.selection.hasPendingRecords(Programme.HPV)).isFalse();
	}

	@Test
	void recordsHeldByAnUnfinishedExportAreNotClaimedAgain() throws Exception {
		long held = record().insert();
		TestMesh.sandbox().failNext(100, 503, MeshSandbox.post("/outbox"));
		assertThat(run(Programme.HPV, DAY_1).getStatus()).isEqualTo(BatchStatus.FAILED);
		TestMesh.sandbox().reset();
		// DAY_1's export could not be uploaded: it still holds the record, even once edited.
		assertThat(this.exports.find(Programme.HPV, DAY_1).orElseThrow().status()).isEqualTo(ExportStatus.UPLOADING);
		this.data.touch(held);
		long later = record().insert();

		run(Programme.HPV, DAY_2);

		assertThat(fileRows(Programme.HPV, DAY_2)).extracting(r -> r.get("UNIQUE_ID"))
			.containsExactly(uuid(later));
	}

	@Test
	void unmappableRecordsAreRejectedWithAReasonAndTheRestOfTheFileGoesOut() throws Exception {
		long good = record().insert();
		long badSite = record().site("left_ear").insert();
		long badNhs = this.data.record(this.data.patient("1234567890", "Bad", "Number", LocalDate.of(2012, 1, 1), 1,
				null), this.session, "gardasil_9").insert();

		JobExecution execution = run(Programme.HPV, DAY_1);

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		StepExecution write = step(execution, "write");
		assertThat(write.getProcessSkipCount()).isEqualTo(2);
		assertThat(write.getWriteCount()).isEqualTo(1);
		assertThat(fileRows(Programme.HPV, DAY_1)).extracting(r -> r.get("UNIQUE_ID")).containsExactly(uuid(good));
		List<Map<String, Object>> rejects = this.jdbc
			.sql("SELECT record_uuid::text AS uuid, reason FROM dps_export_rejects ORDER BY vaccination_record_id")
			.query()
			.listOfRows();
		assertThat(rejects).extracting(r -> r.get("uuid")).containsExactly(uuid(badSite), uuid(badNhs));
		assertThat(rejects.get(0).get("reason")).isEqualTo("unknown delivery site 'left_ear'");
		assertThat((String) rejects.get(1).get("reason")).contains("NHS number is malformed");
		DpsExport export = this.exports.find(Programme.HPV, DAY_1).orElseThrow();
		assertThat(export.rejectCount()).isEqualTo(2);

		// Rejected records stay unsent, so they are tried again next run.
		assertThat(this.selection.hasPendingRecords(Programme.HPV)).isTrue();
	}

	@Test
	void aProgrammeWithNothingToSendMakesNoFileAndNoExport() throws Exception {
		record().insert();

		JobExecution execution = run(Programme.FLU, DAY_1);

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(execution.getExitStatus().getExitCode()).isEqualTo("NOTHING_TO_SEND");
		assertThat(this.exports.find(Programme.FLU, DAY_1)).isEmpty();
		assertThat(execution.getStepExecutions()).extracting(StepExecution::getStepName).containsExactly("claim");
	}

	@Test
	void tdIpvGoesToDpsAsVaccineType3in1() throws Exception {
		long tdSession = this.data.session(this.data.organisation("R2X"), this.data.clinic("R2XC1"), "td_ipv");
		this.data.record(this.patient, tdSession, "revaxis").insert();

		run(Programme.TD_IPV, DAY_1);

		DpsExport export = this.exports.find(Programme.TD_IPV, DAY_1).orElseThrow();
		assertThat(export.fileName()).isEqualTo(DpsFileName.of(Programme.TD_IPV, "V0V8L", createdAt(export)))
			.startsWith("3IN1_Vaccinations_v5_V0V8L_");
		assertThat(fileRows(Programme.TD_IPV, DAY_1)).singleElement()
			.satisfies(row -> assertThat(row.get("LOCATION_CODE")).isEqualTo("R2XC1"));
	}

	@Test
	void twoExportsOfAProgrammeCreatedInTheSameSecondGetDifferentNames() {
		Instant now = Instant.parse("2026-11-30T22:13:00.250Z");
		Path dir = Path.of("target/test-dps-files/DpsExportJobTest");

		DpsExport first = this.exports.create(Programme.HPV, DAY_1, "V0V8L", now, dir);
		DpsExport second = this.exports.create(Programme.HPV, DAY_2, "V0V8L", now.plusMillis(500), dir);

		assertThat(first.fileName()).isEqualTo("HPV_Vaccinations_v5_V0V8L_20261130T22130000.csv");
		assertThat(second.fileName()).as("moved on a second past the name taken")
			.isEqualTo("HPV_Vaccinations_v5_V0V8L_20261130T22130100.csv");
		// the database refuses a name already used, whatever its case, as DPS would
		assertThatThrownBy(() -> this.jdbc.sql("UPDATE dps_exports SET file_name = lower(:name) WHERE id = :id")
			.param("name", first.fileName())
			.param("id", second.id())
			.update()).hasMessageContaining("dps_exports_file_name_unique");
	}

	@Test
	void recordsDpsWouldFailAreRejectedWithTheColumnAndReasonAndTheRestGoes() throws Exception {
		long good = record().insert();
		long longSurname = this.data.record(this.data.patient("9990000018", "Ann", "S".repeat(36),
				LocalDate.of(2012, 1, 1), 2, "LS1 1AA"), this.session, "gardasil_9").insert();
		long noPostcode = this.data.record(this.data.patient("9990000018", "Bo", "Smith", LocalDate.of(2012, 1, 1), 1,
				""), this.session, "gardasil_9").insert();
		long future = record().performedAt(Instant.parse("2099-01-01T10:00:00Z")).insert();
		long tenthDose = record().doseSequence(10).insert();
		this.jdbc.sql("""
				INSERT INTO vaccines (programme_id, key, brand, manufacturer, method, dose_volume_ml,
				                      snomed_product_code, snomed_product_term)
				SELECT programme_id, 'gardasil_9_typo', brand, manufacturer, method, dose_volume_ml,
				       '33493111000001109', snomed_product_term FROM vaccines WHERE key = 'gardasil_9'""").update();
		long badSnomed = record("gardasil_9_typo").insert();

		JobExecution execution = run(Programme.HPV, DAY_1);

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(fileRows(Programme.HPV, DAY_1)).extracting(r -> r.get("UNIQUE_ID")).containsExactly(uuid(good));
		assertThat(this.jdbc.sql("""
				SELECT record_uuid::text || ' ' || dps_column || ': ' || split_part(reason, ' (now is', 1)
				FROM dps_export_rejects ORDER BY vaccination_record_id""").query(String.class).list()).containsExactly(
				uuid(longSurname) + " PERSON_SURNAME: PERSON_SURNAME is 36 characters; DPS accepts at most 35",
				uuid(noPostcode) + " PERSON_POSTCODE: PERSON_POSTCODE is empty; DPS requires it",
				uuid(future) + " DATE_AND_TIME: DATE_AND_TIME 20990101T10000000 is in the future",
				uuid(tenthDose) + " DOSE_SEQUENCE: DOSE_SEQUENCE is 10; DPS accepts empty or a whole number 1 to 9",
				uuid(badSnomed) + " VACCINE_PRODUCT_CODE: VACCINE_PRODUCT_CODE 33493111000001109 is not a valid "
						+ "SNOMED CT id: its Verhoeff check digit is wrong");
		DpsExport export = this.exports.find(Programme.HPV, DAY_1).orElseThrow();
		assertThat(export.rejectCount()).isEqualTo(5);
		assertThat(new DpsReceiver().receive(delivered(export).fileName, delivered(export).payload()).clean()).isTrue();
		// they stay pending, and go once fixed at source
		this.jdbc.sql("UPDATE vaccination_records SET dose_sequence = 2, updated_at = updated_at + interval '1 minute' "
				+ "WHERE id = ?").param(tenthDose).update();
		run(Programme.HPV, DAY_2);
		assertThat(fileRows(Programme.HPV, DAY_2)).extracting(r -> r.get("UNIQUE_ID") + " " + r.get("ACTION_FLAG"))
			.containsExactly(uuid(tenthDose) + " new");
	}

	@Test
	void aRecordDeletedAtDpsThenRestoredGoesAgainAsNew() throws Exception {
		long record = record().insert();
		run(Programme.HPV, DAY_1);
		this.data.discard(record);
		run(Programme.HPV, DAY_2);
		this.jdbc.sql("UPDATE vaccination_records SET discarded_at = NULL, updated_at = updated_at + interval '1 minute' "
				+ "WHERE id = ?").param(record).update();

		run(Programme.HPV, DAY_2.plusDays(1));

		assertThat(fileRows(Programme.HPV, DAY_2)).extracting(r -> r.get("ACTION_FLAG")).containsExactly("delete");
		// DPS deleted it: only a new reinstates it (an update would fail as "does not exist")
		assertThat(fileRows(Programme.HPV, DAY_2.plusDays(1))).extracting(r -> r.get("UNIQUE_ID") + " " + r.get("ACTION_FLAG"))
			.containsExactly(uuid(record) + " new");
		DpsReceiver dps = new DpsReceiver();
		for (LocalDate day : List.of(DAY_1, DAY_2, DAY_2.plusDays(1))) {
			MeshSandbox.Message message = delivered(this.exports.find(Programme.HPV, day).orElseThrow());
			assertThat(dps.receive(message.fileName, message.payload()).clean()).as("DPS's verdict on %s", day).isTrue();
		}
	}

	@Test
	void badRecordsAreRejectedOneByOneAndNeverBlockTheProgramme() throws Exception {
		long good = record().insert();
		long twoLines = this.data.record(this.data.patient("9990000018", "Ann\nMarie", "Smith\r",
				LocalDate.of(2012, 1, 1), 2, "LS1\t1AA"), this.session, "gardasil_9").insert();
		long controls = this.data.record(this.data.patient("9990000018", "Bo\u0007b\u001B", "Jones",
				LocalDate.of(2012, 1, 1), 1, "LS1 1AA"), this.session, "gardasil_9").insert();
		long infiniteTime = record().insert();
		this.jdbc.sql("UPDATE vaccination_records SET performed_at = 'infinity' WHERE id = ?").param(infiniteTime).update();
		long infiniteBirth = this.data.record(this.data.patient("9990000018", "Cy", "Infinite", LocalDate.of(2012, 1, 1),
				1, "LS1 1AA"), this.session, "gardasil_9").insert();
		this.jdbc.sql("UPDATE patients SET date_of_birth = 'infinity' WHERE id = (SELECT patient_id FROM "
				+ "vaccination_records WHERE id = ?)").param(infiniteBirth).update();
		long negativeDose = record().doseSequence(-1).insert();
		long deleted = record().insert();
		// deleted from the source after the claim committed, as the write step starts
		this.jdbc.sql("CREATE FUNCTION test_delete_claimed() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
				+ "DELETE FROM vaccination_records WHERE id = " + deleted + "; RETURN NEW; END $$").update();
		this.jdbc.sql("CREATE TRIGGER test_delete_claimed AFTER INSERT ON batch_step_execution FOR EACH ROW "
				+ "WHEN (NEW.step_name = 'write') EXECUTE FUNCTION test_delete_claimed()").update();
		JobExecution execution;
		try {
			execution = run(Programme.HPV, DAY_1);
		}
		finally {
			this.jdbc.sql("DROP TRIGGER test_delete_claimed ON batch_step_execution").update();
			this.jdbc.sql("DROP FUNCTION test_delete_claimed()").update();
		}

		assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(fileRows(Programme.HPV, DAY_1)).extracting(r -> r.get("UNIQUE_ID") + " " + r.get("PERSON_FORENAME")
				+ "|" + r.get("PERSON_SURNAME") + "|" + r.get("PERSON_POSTCODE"))
			.containsExactlyInAnyOrder(uuid(good) + " Test|" + this.jdbc.sql("SELECT family_name FROM patients WHERE id = ?")
				.param(this.patient).query(String.class).single() + "|LS1 1AA",
					uuid(twoLines) + " Ann Marie|Smith |LS1 1AA", uuid(controls) + " Bob|Jones|LS1 1AA");
		assertThat(this.jdbc.sql("""
				SELECT coalesce(record_uuid::text, 'id ' || vaccination_record_id) || ' ' || coalesce(dps_column, '-')
				       || ': ' || reason FROM dps_export_rejects ORDER BY vaccination_record_id""").query(String.class).list())
			.satisfiesExactly(
					r -> assertThat(r).startsWith(uuid(infiniteTime) + " DATE_AND_TIME: the vaccination time is infinity"),
					r -> assertThat(r).startsWith(uuid(infiniteBirth) + " PERSON_DOB: PERSON_DOB is not a real date"),
					r -> assertThat(r).startsWith(uuid(negativeDose) + " DOSE_SEQUENCE: DOSE_SEQUENCE is -1"),
					r -> assertThat(r).isEqualTo("id " + deleted + " -: vaccination record " + deleted
							+ " was deleted from vaccination_records after it was claimed; there is nothing to send"));
		DpsExport export = this.exports.find(Programme.HPV, DAY_1).orElseThrow();
		assertThat(new DpsReceiver().receive(delivered(export).fileName, delivered(export).payload()).clean()).isTrue();
		// the next night is not held up: the rejects that still exist are tried (and rejected) again
		JobExecution nextNight = run(Programme.HPV, DAY_2);
		assertThat(nextNight.getStatus()).isEqualTo(BatchStatus.COMPLETED);
		assertThat(this.jdbc.sql("SELECT count(*) FROM dps_export_rejects WHERE export_id = ?")
			.param(this.exports.find(Programme.HPV, DAY_2).orElseThrow().id())
			.query(Long.class)
			.single()).isEqualTo(3);
	}

	private Instant createdAt(DpsExport export) {
		return this.jdbc.sql("SELECT created_at FROM dps_exports WHERE id = ?")
			.param(export.id())
			.query(java.time.OffsetDateTime.class)
			.single()
			.toInstant();
	}

	private TestData.Record record(String vaccineKey) {
		return this.data.record(this.patient, this.session, vaccineKey);
	}

	private TestData.Record record() {
		return this.data.record(this.patient, this.session, "gardasil_9");
	}

	private String uuid(long recordId) {
		return this.data.uuid(recordId).toString();
	}

	private JobExecution run(Programme programme, LocalDate runDate) throws Exception {
		return this.jobOperator.start(this.dpsExportJob, ExportJob.parameters(programme, runDate));
	}

	static MeshSandbox.Message delivered(DpsExport export) {
		return TestMesh.sandbox()
			.messagesTo(TestMesh.DPS)
			.stream()
			.filter(m -> export.localId().toString().equals(m.localId))
			.reduce((a, b) -> {
				throw new AssertionError("Export " + export.localId() + " reached MESH more than once");
			})
			.orElseThrow(() -> new AssertionError("Export " + export.localId() + " never reached MESH"));
	}

	private List<Map<String, String>> fileRows(Programme programme, LocalDate runDate) throws Exception {
		Path file = this.exports.find(programme, runDate).orElseThrow().filePath();
		return DpsFiles.read(file);
	}

	static StepExecution step(JobExecution execution, String name) {
		return execution.getStepExecutions()
			.stream()
			.filter(s -> s.getStepName().equals(name))
			.findFirst()
			.orElseThrow();
	}

}
