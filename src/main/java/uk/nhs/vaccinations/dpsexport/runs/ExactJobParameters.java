package uk.nhs.vaccinations.dpsexport.runs;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.batch.core.job.parameters.InvalidJobParametersException;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersValidator;

/**
 * A job's parameters, exactly: each key required, and no other accepted. Spring Batch's own
 * validator takes any extra key when no optional ones are named, and a stray argument of a Spring
 * Boot launch (a password, say) would then be stored with the execution and shown by status.
 */
public record ExactJobParameters(String jobName, List<String> keys) implements JobParametersValidator {

	public static ExactJobParameters of(String jobName, String... keys) {
		return new ExactJobParameters(jobName, List.of(keys));
	}

	@Override
	public void validate(JobParameters parameters) throws InvalidJobParametersException {
		Set<String> given = new TreeSet<>();
		for (JobParameter<?> parameter : parameters.parameters()) {
			given.add(parameter.name());
		}
		Set<String> missing = new TreeSet<>(this.keys);
		missing.removeAll(given);
		Set<String> unknown = new TreeSet<>(given);
		this.keys.forEach(unknown::remove);
		if (!missing.isEmpty() || !unknown.isEmpty()) {
			throw new InvalidJobParametersException(this.jobName + " takes exactly " + this.keys
					+ (missing.isEmpty() ? "" : "; missing " + missing) + (unknown.isEmpty() ? "" : "; refused " + unknown));
		}
	}

}
