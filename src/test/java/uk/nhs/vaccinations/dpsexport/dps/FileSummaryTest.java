package uk.nhs.vaccinations.dpsexport.dps;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileSummaryTest {

	@TempDir
	Path dir;

	@Test
	void countsEveryLineFeedWhateverTheBytesAroundIt() {
		Random random = new Random(3);
		for (int round = 0; round < 500; round++) {
			byte[] bytes = new byte[random.nextInt(100)];
			long expected = 0;
			for (int i = 0; i < bytes.length; i++) {
				// line feeds among their neighbours in the table: 0x09, 0x0B, 0x8A, 0xFF, 0x00
				byte[] choices = { '\n', 0x09, 0x0B, (byte) 0x8A, (byte) 0xFF, 0x00, 'a' };
				bytes[i] = choices[random.nextInt(choices.length)];
				if (bytes[i] == '\n') {
					expected++;
				}
			}
			assertThat(FileSummary.countLineFeeds(ByteBuffer.wrap(bytes))).as("round %d", round).isEqualTo(expected);
		}
	}

	@Test
	void summaryOfAFileLargerThanOneReadGivesItsLinesSizeAndHash() throws Exception {
		byte[] bytes = randomBytes(3 * (1 << 20) + 13);
		Path file = Files.write(this.dir.resolve("f"), bytes);

		FileSummary.Snapshot summary = FileSummary.of(file);

		assertThat(summary).isEqualTo(expected(bytes));
	}

	@Test
	void aPrefixIsSummarisedAsThoughTheFileEndedThere() throws Exception {
		byte[] bytes = randomBytes((1 << 20) + 5_000);
		Path file = Files.write(this.dir.resolve("f"), bytes);
		int prefix = (1 << 20) + 17;

		assertThat(FileSummary.of(file, prefix).snapshot()).isEqualTo(expected(Arrays.copyOf(bytes, prefix)));
		assertThatThrownBy(() -> FileSummary.of(file, bytes.length + 1L)).hasMessageContaining("before " + (bytes.length + 1));
	}

	@Test
	void aSnapshotLeavesTheSummaryRunning() throws Exception {
		byte[] bytes = randomBytes(100_000);
		FileSummary summary = new FileSummary();
		FileSummary.Snapshot half = null;
		for (int at = 0; at < bytes.length; at += 7_000) {
			summary.update(bytes, at, Math.min(7_000, bytes.length - at));
			if (at == 49_000) {
				half = summary.snapshot();
			}
		}

		assertThat(half).isEqualTo(expected(Arrays.copyOf(bytes, 56_000)));
		assertThat(summary.snapshot()).isEqualTo(expected(bytes));
	}

	private static byte[] randomBytes(int n) {
		byte[] bytes = new byte[n];
		new Random(9).nextBytes(bytes);
		return bytes;
	}

	private static FileSummary.Snapshot expected(byte[] bytes) throws Exception {
		long lines = 0;
		for (byte b : bytes) {
			lines += b == '\n' ? 1 : 0;
		}
		return new FileSummary.Snapshot(bytes.length, lines,
				HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
	}

}
