package org.edgevim.openstack;

import java.net.http.HttpClient;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.edgevim.core.driver.MigrationProgress;

/**
 * What all edge hosts of one cloud share: one HTTP client, one Keystone token, and the cloud-wide
 * facts a host learns for the others (a server's UUID, a flavor, the figures of a finished migration,
 * which both the source's and the target's driver report).
 */
final class Cloud {

    private final CloudSettings settings;
    private final Transport transport;
    private final Keystone keystone;
    private final Clock clock;
    /** computeId -> Nova server UUID. */
    final Map<String, String> serverIds = new ConcurrentHashMap<>();
    /** "vcpu/ram/disk" -> flavor id. */
    final Map<String, String> flavorIds = new ConcurrentHashMap<>();
    /** computeId -> the last figures of its live migration. */
    final Map<String, MigrationProgress> lastMigration = new ConcurrentHashMap<>();
    /** VIM image id -> lock: one upload of an image to this cloud's Glance at a time. */
    final Map<String, Object> imageLocks = new ConcurrentHashMap<>();

    Cloud(CloudSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.transport = new Transport(settings.name(), HttpClient.newBuilder()
                .connectTimeout(settings.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build());
        this.keystone = new Keystone(settings, transport, clock);
    }

    CloudSettings settings() {
        return settings;
    }

    Transport transport() {
        return transport;
    }

    Keystone keystone() {
        return keystone;
    }

    Clock clock() {
        return clock;
    }

    CloudHttp forHost(String hostId) {
        return new CloudHttp(this, hostId);
    }
}
