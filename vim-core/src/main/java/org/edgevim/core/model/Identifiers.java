package org.edgevim.core.model;

import java.util.regex.Pattern;
import org.edgevim.core.error.InvalidInputException;

/**
 * The one place that decides which names and ids are acceptable. Every string that later reaches
 * a hypervisor (domain XML, volume names, file paths) passes through one of these checks first,
 * so a driver never has to guess whether a name is safe.
 */
public final class Identifiers {

    /** Host ids: DNS-label-like, lowercase. */
    private static final Pattern HOST_ID = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    /** Zone and cell ids: letters, digits, dot, dash, underscore, colon. */
    private static final Pattern ZONE_OR_CELL_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");
    /** Compute names: a human label; no markup, quotes, slashes or spaces. */
    private static final Pattern COMPUTE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /** Image ids become file names on hosts: no slashes, no leading dot, no "..". */
    private static final Pattern IMAGE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** Image names, versions and providers: labels, not paths; no markup, quotes or spaces. */
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:+-]{0,127}");
    private static final Pattern METADATA_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}");

    public static final int MAX_METADATA_ENTRIES = 64;
    public static final int MAX_METADATA_VALUE_LENGTH = 1024;

    private Identifiers() {
    }

    public static String requireHostId(String field, String value) {
        return require(field, value, HOST_ID, "must be 1-63 lowercase letters, digits or '-'");
    }

    public static String requireZoneId(String field, String value) {
        return require(field, value, ZONE_OR_CELL_ID, "must be 1-64 letters, digits, '.', '_', ':' or '-'");
    }

    public static String requireCellId(String field, String value) {
        return requireZoneId(field, value);
    }

    public static String requireComputeName(String field, String value) {
        return require(field, value, COMPUTE_NAME,
                "must be 1-63 letters, digits, '.', '_' or '-', starting with a letter or digit");
    }

    public static String requireImageId(String field, String value) {
        String id = require(field, value, IMAGE_ID,
                "must be 1-128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        if (id.contains("..")) {
            throw new InvalidInputException(field, "must not contain '..'");
        }
        return id;
    }

    public static String requireLabel(String field, String value) {
        return require(field, value, LABEL,
                "must be 1-128 letters, digits, '.', '_', ':', '+' or '-', starting with a letter or digit");
    }

    public static String requireMetadataKey(String field, String value) {
        return require(field, value, METADATA_KEY, "keys must be 1-128 letters, digits or '._:/-'");
    }

    /** Metadata values are free text but bounded, and without control characters. */
    public static String requireMetadataValue(String field, String value) {
        if (value == null) {
            throw new InvalidInputException(field, "must not be null");
        }
        if (value.length() > MAX_METADATA_VALUE_LENGTH) {
            throw new InvalidInputException(field, "must be at most " + MAX_METADATA_VALUE_LENGTH + " characters");
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            throw new InvalidInputException(field, "must not contain control characters");
        }
        return value;
    }

    private static String require(String field, String value, Pattern pattern, String rule) {
        if (value == null || value.isEmpty()) {
            throw new InvalidInputException(field, "is required");
        }
        if (!pattern.matcher(value).matches()) {
            throw new InvalidInputException(field, rule);
        }
        return value;
    }
}
