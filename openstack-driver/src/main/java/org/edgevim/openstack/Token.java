package org.edgevim.openstack;

import java.time.Instant;

/**
 * A Keystone token with what came with it.
 *
 * @param value     the X-Subject-Token
 * @param expiresAt Keystone's expires_at
 * @param projectId the project it is scoped to (private flavors are shared with it)
 * @param catalog   the service catalogue
 */
record Token(String value, Instant expiresAt, String projectId, ServiceCatalog catalog) {

    @Override
    public String toString() {
        return "token of project " + projectId + " until " + expiresAt; // never the value
    }
}
