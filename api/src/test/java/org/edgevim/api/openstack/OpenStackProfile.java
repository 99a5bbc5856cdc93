package org.edgevim.api.openstack;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.List;
import java.util.Map;

/** The VIM with the fake cloud's two compute hosts registered at start-up, and its own database. */
public class OpenStackProfile implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("quarkus.datasource.jdbc.url", "jdbc:h2:mem:vim-openstack;DB_CLOSE_DELAY=-1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeCloudResource.class));
    }
}
