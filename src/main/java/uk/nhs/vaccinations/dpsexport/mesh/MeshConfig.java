package uk.nhs.vaccinations.dpsexport.mesh;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

/**
 * The MESH client exists only when MESH jobs are on. It is built when first asked for: the
 * commands that talk to MESH ask before any job starts, so a missing setting or a bad certificate,
 * key, passphrase or CA bundle stops them at once, and the others never need MESH's secrets.
 */
@Configuration(proxyBeanMethods = false)
public class MeshConfig {

	@Bean(destroyMethod = "close")
	@ConditionalOnProperty(name = "mesh.jobs-enabled", havingValue = "true")
	@Lazy
	MeshClient meshClient(MeshProperties properties) {
		properties.requireConnectionSettings();
		return new MeshClient(properties);
	}

}
