package uk.nhs.vaccinations.dpsexport.support;

import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;

/** Points each {@link PostgresTest} class at a database of its own and at the shared MESH sandbox. */
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
			var sources = context.getEnvironment().getPropertySources();
			sources.addFirst(new MapPropertySource("testPostgres", Map.of("spring.datasource.url", url,
					"spring.datasource.username", "postgres", "spring.datasource.password", "")));
			// Just above application.yml, so a test class can still switch MESH off with @TestPropertySource.
			MapPropertySource mesh = new MapPropertySource("testMesh", TestMesh.properties());
			String applicationConfig = sources.stream()
				.map(source -> source.getName())
				.filter(name -> name.contains("application.yml"))
				.findFirst()
				.orElse(null);
			if (applicationConfig != null) {
				sources.addBefore(applicationConfig, mesh);
			}
			else {
				sources.addLast(mesh);
			}
		}

	}

}
