package org.edgevim.openstack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;

/**
 * An edge host on OpenStack: {@code openstack://<cloud>/<compute-host>}, the cloud a configured
 * one, the compute host the name Nova's {@code nova-compute} service runs under (and Placement's
 * resource provider of that node).
 */
record HostUri(String cloud, String computeHost) {

    /** Nova host names are host names: letters, digits, '.', '-' and '_' (kept out of any path or query). */
    private static final Pattern URI = Pattern.compile("openstack://([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)/([A-Za-z0-9][A-Za-z0-9._-]{0,254})");

    static HostUri parse(String field, String uri) {
        Matcher m = URI.matcher(uri == null ? "" : uri);
        if (!m.matches()) {
            throw new InvalidInputException(field, "must be openstack://<cloud>/<compute-host>, e.g. "
                    + "openstack://site-a/compute-1 (cloud: a name configured under vim.openstack.clouds)");
        }
        return new HostUri(m.group(1), m.group(3));
    }

    @Override
    public String toString() {
        return "openstack://" + cloud + "/" + computeHost;
    }
}
