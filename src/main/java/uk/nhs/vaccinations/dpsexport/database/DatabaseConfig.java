package uk.nhs.vaccinations.dpsexport.database;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Every connection looks in the exporter's schema first and the vaccination service's second, so
 * the SQL names tables without a schema and the same statements run on any layout; Flyway keeps
 * its history and creates every table in the exporter's schema.
 */
@Configuration(proxyBeanMethods = false)
class DatabaseConfig {

	@Bean
	static BeanPostProcessor searchPathOnEveryConnection(ObjectProvider<DatabaseProperties> properties) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessBeforeInitialization(Object bean, String beanName) {
				if (bean instanceof HikariDataSource pool) {
					// validated identifiers (DatabaseProperties), so nothing here needs quoting
					pool.setConnectionInitSql("SET search_path TO " + properties.getObject().searchPath());
				}
				return bean;
			}
		};
	}

	@Bean
	FlywayConfigurationCustomizer flywayInOwnSchema(DatabaseProperties properties) {
		return flyway -> flyway.schemas(properties.schema()).defaultSchema(properties.schema()).createSchemas(true);
	}

}
