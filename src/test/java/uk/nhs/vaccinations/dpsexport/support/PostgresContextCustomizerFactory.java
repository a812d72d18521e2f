package uk.nhs.vaccinations.dpsexport.support;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** Points each {@link PostgresTest} class at a database of its own. */
class PostgresContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		return new DatabasePerClass(testClass);
	}

	/** Equal only for the same class, so no two test classes share a context (or a database). */
	private record DatabasePerClass(Class<?> testClass) implements ContextCustomizer {

		@Override
		public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration config) {
			String url = TestPostgres.createDatabase(this.testClass.getSimpleName());
			context.getEnvironment()
				.getPropertySources()
				.addFirst(new MapPropertySource("testPostgres", Map.of("spring.datasource.url", url,
						"spring.datasource.username", "postgres", "spring.datasource.password", "")));
		}

	}

}
