package uk.nhs.vaccinations.dpsexport.dps;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DpsFileWriterTest {

	@TempDir
	Path dir;

	@Test
	void aFullDiskIsReportedWithTheFilesPath() throws Exception {
		// /dev/full answers every write with ENOSPC, as a full disk does
		Path file = java.nio.file.Files.createSymbolicLink(this.dir.resolve("HPV.csv"), Path.of("/dev/full"));
		DpsFileWriter writer = new DpsFileWriter("w", file);

		org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.open(new ExecutionContext()))
			.hasMessageContaining("Could not write DPS file " + file)
			.hasMessageEndingWith("No space left on device");
	}

	@Test
	void aRestartDropsTheRowsOfTheChunkThatNeverCommittedAndWritesThemOnce() throws Exception {
		Path file = this.dir.resolve("out/Vaccinations-HPV-2026-11-24.csv");
		ExecutionContext committed = new ExecutionContext();
		DpsFileWriter writer = writerWithRowsAAndBCommitted(file, committed);
		// The next chunk reaches the file, then its transaction rolls back and the process dies.
		writer.write(Chunk.of(row("c"), row("d")));
		writer.close();
		assertThat(Files.readAllLines(file)).hasSize(5);

		DpsFileWriter restarted = new DpsFileWriter("w", file);
		restarted.open(committed);
		restarted.write(Chunk.of(row("c"), row("d")));
		restarted.write(Chunk.of(row("e")));
		restarted.update(committed);
		restarted.close();

		List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
		assertThat(lines.get(0)).isEqualTo(DpsLineFormatter.header());
		assertThat(lines.subList(1, lines.size())).extracting(l -> l.substring(1, 2))
			.containsExactly("a", "b", "c", "d", "e");
		assertThat(committed.getLong("w.written")).isEqualTo(5);
		assertThat(committed.getLong("w.current.count")).isEqualTo(Files.size(file));
		// the summary carried across the restart is the file's own, as if written in one go
		assertThat(DpsFileWriter.summary(committed, "w")).contains(FileSummary.of(file));
	}

	@Test
	void theCommittedSummaryIsTheFilesOwnLineFeedsAndHash() throws Exception {
		Path file = this.dir.resolve("f.csv");
		ExecutionContext committed = new ExecutionContext();
		assertThat(DpsFileWriter.summary(committed, "w")).isEmpty();
		DpsFileWriter writer = writerWithRowsAAndBCommitted(file, committed);
		writer.close();

		FileSummary.Snapshot summary = DpsFileWriter.summary(committed, "w").orElseThrow();
		assertThat(summary).isEqualTo(FileSummary.of(file));
		assertThat(summary.lineFeeds()).isEqualTo(3);
		assertThat(DpsFileWriter.keys("w")).allMatch(committed::containsKey);
	}

	@Test
	void aFileWhoseCommittedPartChangedIsNotResumed() throws Exception {
		Path file = this.dir.resolve("f.csv");
		ExecutionContext committed = new ExecutionContext();
		writerWithRowsAAndBCommitted(file, committed).close();
		byte[] bytes = Files.readAllBytes(file);
		bytes[bytes.length / 2] ^= 1;
		Files.write(file, bytes);

		assertThatThrownBy(() -> new DpsFileWriter("w", file).open(committed)).isInstanceOf(ItemStreamException.class)
			.hasMessageContaining(file + " changed since the last run committed 2 rows");
	}

	@Test
	void aFreshStartReplacesAnOldFile() throws Exception {
		Path file = this.dir.resolve("f.csv");
		Files.writeString(file, "left over from an abandoned run\n");
		DpsFileWriter writer = new DpsFileWriter("w", file);
		writer.open(new ExecutionContext());
		writer.write(Chunk.of(row("a")));
		writer.close();
		assertThat(Files.readAllLines(file)).hasSize(2).first().isEqualTo(DpsLineFormatter.header());
	}

	@Test
	void aFileShorterThanItsLastCommitIsNotResumed() throws Exception {
		Path file = this.dir.resolve("f.csv");
		ExecutionContext committed = new ExecutionContext();
		writerWithRowsAAndBCommitted(file, committed).close();
		Files.write(file, new byte[10]);

		assertThatThrownBy(() -> new DpsFileWriter("w", file).open(committed)).isInstanceOf(ItemStreamException.class)
			.hasMessageContaining(file.toString())
			.hasMessageContaining("holds 10 bytes")
			.hasMessageContaining("2 rows");
		Files.delete(file);
		assertThatThrownBy(() -> new DpsFileWriter("w", file).open(committed)).isInstanceOf(ItemStreamException.class)
			.hasMessageContaining(file + " is missing");
	}

	@Test
	void largeChunksAreWrittenCompletely() throws Exception {
		Path file = this.dir.resolve("big.csv");
		DpsFileWriter writer = new DpsFileWriter("w", file);
		ExecutionContext context = new ExecutionContext();
		writer.open(context);
		Chunk<DpsRow> chunk = new Chunk<>();
		for (int i = 0; i < 3_000; i++) {
			chunk.add(row("r" + i));
		}
		writer.write(chunk);
		writer.update(context);
		writer.close();
		List<String> lines = Files.readAllLines(file);
		assertThat(lines).hasSize(3_001);
		assertThat(lines.get(3_000)).startsWith("\"r2999\"|");
		assertThat(context.getLong("w.current.count")).isEqualTo(Files.size(file));
	}

	private static DpsFileWriter writerWithRowsAAndBCommitted(Path file, ExecutionContext committed) throws Exception {
		DpsFileWriter writer = new DpsFileWriter("w", file);
		writer.open(committed);
		writer.write(Chunk.of(row("a"), row("b")));
		writer.update(committed);
		return writer;
	}

	private static DpsRow row(String first) {
		String[] fields = new String[DpsFileFormat.COLUMNS.size()];
		java.util.Arrays.fill(fields, "x".repeat(100));
		fields[0] = first;
		return new DpsRow(UUID.randomUUID(), fields);
	}

}
