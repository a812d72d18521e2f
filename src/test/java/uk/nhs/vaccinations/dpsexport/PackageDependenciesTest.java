package uk.nhs.vaccinations.dpsexport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.spi.ToolProvider;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/** The package structure, read from the compiled classes by the JDK's jdeps. */
class PackageDependenciesTest {

	private static final String ROOT = "uk.nhs.vaccinations.dpsexport";

	private static final Map<String, Set<String>> USES = uses();

	@Test
	void noPackageDependsOnItselfThroughOthers() {
		List<String> cycles = new ArrayList<>();
		for (String from : USES.keySet()) {
			for (String to : USES.get(from)) {
				if (to.startsWith(ROOT) && !to.equals(from) && reachable(to).contains(from)) {
					cycles.add(from + " <-> " + to);
				}
			}
		}
		assertThat(USES).containsKeys(ROOT + ".mesh", ROOT + ".export.job", ROOT + ".exports");
		assertThat(cycles).isEmpty();
	}

	@Test
	void theMeshClientKnowsNothingOfSpringBatchOrOfTheExport() {
		assertThat(USES.get(ROOT + ".mesh")).noneMatch(p -> p.startsWith("org.springframework.batch"))
			.noneMatch(p -> p.startsWith(ROOT + ".") && !p.equals(ROOT + ".mesh"));
	}

	private static Set<String> reachable(String start) {
		Set<String> seen = new HashSet<>();
		Deque<String> next = new ArrayDeque<>(List.of(start));
		while (!next.isEmpty()) {
			for (String to : USES.getOrDefault(next.pop(), Set.of())) {
				if (to.startsWith(ROOT) && seen.add(to)) {
					next.push(to);
				}
			}
		}
		return seen;
	}

	private static Map<String, Set<String>> uses() {
		StringWriter out = new StringWriter();
		int code = ToolProvider.findFirst("jdeps").orElseThrow()
			.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "-verbose:package", "target/classes");
		assertThat(code).isZero();
		Map<String, Set<String>> uses = new TreeMap<>();
		Matcher edge = Pattern.compile("^\\s+(" + Pattern.quote(ROOT) + "[\\w.]*)\\s+->\\s+([\\w.]+)", Pattern.MULTILINE)
			.matcher(out.toString());
		while (edge.find()) {
			uses.computeIfAbsent(edge.group(1), p -> new TreeSet<>()).add(edge.group(2));
		}
		return uses;
	}

}
