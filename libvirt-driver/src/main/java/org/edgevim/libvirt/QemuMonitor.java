package org.edgevim.libvirt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.edgevim.core.error.BackendException;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * QMP commands through libvirt (virDomainQemuMonitorCommand), for the few migration parameters
 * libvirt does not expose while a job runs. libvirt marks a domain that received such a command as
 * tainted ("custom-monitor") in its log; that is expected for VMs with a memory shadow.
 *
 * <p>Only numeric arguments are sent (built here, never from outside strings), and only flat
 * numeric and string fields are read back: no JSON library is needed for that.
 */
final class QemuMonitor {

    /** Field patterns, compiled once: a memory shadow's control loop reads six fields 100 times a second. */
    private static final Map<String, Pattern> NUMBERS = new ConcurrentHashMap<>();
    private static final Map<String, Pattern> STRINGS = new ConcurrentHashMap<>();
    private static final Pattern ERROR = Pattern.compile("\"error\"\\s*:\\s*\\{[^}]*\"desc\"\\s*:\\s*\"([^\"]*)\"");

    private QemuMonitor() {
    }

    /** Runs {@code execute} with numeric arguments; returns the raw reply. */
    static String command(Domain domain, String execute, Map<String, Long> arguments) throws LibvirtException {
        String args = arguments.isEmpty() ? "" : ",\"arguments\":{" + arguments.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + e.getValue()).collect(Collectors.joining(",")) + "}";
        String reply = domain.qemuMonitorCommand("{\"execute\":\"" + execute + "\"" + args + "}", 0);
        Matcher error = ERROR.matcher(reply);
        if (error.find()) {
            throw new BackendException("QEMU refused " + execute + ": " + error.group(1), null);
        }
        return reply;
    }

    /** A numeric field of a reply (the first one of that name), or -1. */
    static long number(String reply, String field) {
        Matcher m = NUMBERS.computeIfAbsent(field,
                f -> Pattern.compile("\"" + Pattern.quote(f) + "\"\\s*:\\s*(-?\\d+)")).matcher(reply);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** A string field of a reply (the first one of that name), or null. */
    static String string(String reply, String field) {
        Matcher m = STRINGS.computeIfAbsent(field,
                f -> Pattern.compile("\"" + Pattern.quote(f) + "\"\\s*:\\s*\"([^\"]*)\"")).matcher(reply);
        return m.find() ? m.group(1) : null;
    }
}
