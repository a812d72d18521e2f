package uk.nhs.vaccinations.dpsexport.export.read;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.item.ItemStreamReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReadAheadItemReaderTest {

	/** Yields 0, 1, 2, ... up to {@code count} items, then fails or ends. */
	static final class Numbers implements ItemStreamReader<Integer> {

		private final int count;

		private final boolean failAtEnd;

		private int next;

		Numbers(int count, boolean failAtEnd) {
			this.count = count;
			this.failAtEnd = failAtEnd;
		}

		@Override
		public Integer read() {
			if (this.next == this.count) {
				if (this.failAtEnd) {
					throw new IllegalStateException("connection lost after " + this.count);
				}
				return null;
			}
			return this.next++;
		}

	}

	@Test
	void everyItemArrivesOnceInOrderAcrossPartialBatches() throws Exception {
		int count = 3 * ReadAheadItemReader.BATCH + 7;
		ReadAheadItemReader<Integer> reader = new ReadAheadItemReader<>(new Numbers(count, false), "n.read.count", 1000);
		reader.open(new ExecutionContext());
		List<Integer> read = new ArrayList<>();
		Integer item;
		while ((item = reader.read()) != null) {
			read.add(item);
		}
		ExecutionContext saved = new ExecutionContext();
		reader.update(saved);
		reader.close();

		assertThat(read).hasSize(count).isSorted().doesNotHaveDuplicates();
		assertThat(saved.getInt("n.read.count")).isEqualTo(count);
		assertThat(reader.read()).isNull();
	}

	@Test
	void itemsReadBeforeAFailureReachTheStepThenTheFailureAndTheCountIsWhatWasConsumed() throws Exception {
		int count = ReadAheadItemReader.BATCH + 42;
		ReadAheadItemReader<Integer> reader = new ReadAheadItemReader<>(new Numbers(count, true), "n.read.count", 1000);
		reader.open(new ExecutionContext());
		for (int i = 0; i < count; i++) {
			assertThat(reader.read()).isEqualTo(i);
		}

		assertThatThrownBy(reader::read).hasMessage("connection lost after " + count);
		ExecutionContext saved = new ExecutionContext();
		reader.update(saved);
		reader.close();
		assertThat(saved.getInt("n.read.count")).isEqualTo(count);
	}

}
