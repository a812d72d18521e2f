package uk.nhs.vaccinations.dpsexport.export;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class SealFileTaskletTest {

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
			assertThat(SealFileTasklet.countLineFeeds(ByteBuffer.wrap(bytes))).as("round %d", round).isEqualTo(expected);
		}
	}

	@Test
	void summaryOfAFileLargerThanOneReadGivesItsLinesSizeAndHash() throws Exception {
		byte[] bytes = new byte[3 * (1 << 20) + 13];
		new Random(9).nextBytes(bytes);
		long lines = 0;
		for (byte b : bytes) {
			lines += b == '\n' ? 1 : 0;
		}
		Path file = Files.write(this.dir.resolve("f"), bytes);

		SealFileTasklet.FileSummary summary = SealFileTasklet.summarise(file);

		assertThat(summary.lines()).isEqualTo(lines);
		assertThat(summary.size()).isEqualTo(bytes.length);
		assertThat(summary.sha256())
			.isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
	}

}
