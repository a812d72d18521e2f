package uk.nhs.vaccinations.dpsexport.dps;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DpsReceiverTest {

	final DpsReceiver dps = new DpsReceiver(Clock.fixed(DpsRowRulesTest.NOW, ZoneOffset.UTC));

	int second;

	String name() {
		return "HPV_Vaccinations_v5_V0V8L_20261130T2213" + String.format("%02d", this.second++) + "00.csv";
	}

	static byte[] file(String... actions) {
		StringBuilder out = new StringBuilder(DpsLineFormatter.header()).append('\n');
		for (String action : actions) {
			out.append(DpsLineFormatter.line(new DpsRow(null, DpsRowRulesTest.with("ACTION_FLAG", action)))).append('\n');
		}
		return out.toString().getBytes(StandardCharsets.UTF_8);
	}

	@Test
	void aConformingFileIsAcceptedWithItsRows() throws Exception {
		DpsReceiver.Verdict verdict = this.dps.receive(name(), file("new"));

		assertThat(verdict.clean()).as(verdict.toString()).isTrue();
		assertThat(verdict.rows()).isEqualTo(1);
		assertThat(verdict.toString()).endsWith("accepted, 1 rows");
	}

	@Test
	void theOldExportersNameFailsTheWholeFile() throws Exception {
		DpsReceiver.Verdict verdict = this.dps.receive("Vaccinations-HPV-2026-11-30.csv", file("new"));

		assertThat(verdict.accepted()).isFalse();
		assertThat(verdict.toString()).contains("FAILED");
	}

	@Test
	void anUnregisteredSupplierADuplicateNameAndABomFailTheFile() throws Exception {
		assertThat(this.dps.receive("HPV_Vaccinations_v5_X26AB_20261130T22130000.csv", file("new")).failure())
			.contains("not registered at DPS");
		String name = name();
		assertThat(this.dps.receive(name, file("new")).accepted()).isTrue();
		assertThat(this.dps.receive(name, file()).failure()).contains("duplicate file");
		byte[] bom = ("\uFEFF" + new String(file("new"), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
		assertThat(this.dps.receive(name(), bom).failure()).contains("byte-order mark");
	}

	@Test
	void actionsAreJudgedByWhatDpsHolds() throws Exception {
		assertThat(this.dps.receive(name(), file("update")).failedRows()).singleElement()
			.asString()
			.contains("does not exist");
		assertThat(this.dps.receive(name(), file("new", "update")).clean()).isTrue();
		assertThat(this.dps.receive(name(), file("new")).failedRows()).singleElement().asString().contains("duplicate");
		assertThat(this.dps.receive(name(), file("delete")).clean()).isTrue();
		assertThat(this.dps.receive(name(), file("delete")).failedRows()).singleElement()
			.asString()
			.contains("does not exist");
		// a new after a delete reinstates the record
		assertThat(this.dps.receive(name(), file("new")).clean()).isTrue();
	}

	@Test
	void aRowFailingDpsRulesIsReportedAndTheRestGoOn() throws Exception {
		String bad = DpsLineFormatter.line(new DpsRow(null, DpsRowRulesTest.with("PERSON_SURNAME", "S".repeat(36))));
		byte[] payload = (new String(file("new"), StandardCharsets.UTF_8) + bad + "\n").getBytes(StandardCharsets.UTF_8);

		DpsReceiver.Verdict verdict = this.dps.receive(name(), payload);

		assertThat(verdict.accepted()).isTrue();
		assertThat(verdict.rows()).isEqualTo(2);
		assertThat(verdict.failedRows()).singleElement().asString().contains("PERSON_SURNAME is 36 characters");
	}

}
