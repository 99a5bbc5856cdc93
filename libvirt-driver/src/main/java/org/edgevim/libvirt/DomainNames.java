package org.edgevim.libvirt;

import java.util.regex.Pattern;

/**
 * How VIM objects are named on a libvirt host. A VM's domain is named by its computeId (a UUID),
 * which keeps the VIM's domains apart from anything else on the host and keeps user-chosen names
 * out of libvirt identifiers; the user's name goes in the domain title.
 */
final class DomainNames {

    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private DomainNames() {
    }

    static boolean isComputeId(String name) {
        return name != null && UUID.matcher(name).matches();
    }

    static String requireComputeId(String computeId) {
        if (!isComputeId(computeId)) {
            throw new IllegalArgumentException("not a compute id: " + computeId);
        }
        return computeId;
    }

    /** The VM's disk: a qcow2 overlay in the VIM's pool. */
    static String overlayVolume(String computeId) {
        return requireComputeId(computeId) + ".qcow2";
    }

    /** The guest's serial console, appended to across restarts and migrations. */
    static String consoleLog(String logDirectory, String computeId) {
        return logDirectory + "/" + requireComputeId(computeId) + ".console.log";
    }
}
