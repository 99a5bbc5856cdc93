package org.edgevim.core.model;

import java.util.Map;
import java.util.TreeMap;
import org.edgevim.core.error.InvalidInputException;

/** Validation and merging of caller-defined metadata. */
public final class Metadata {

    private Metadata() {
    }

    /** Returns a validated, sorted copy; null means empty. */
    public static Map<String, String> validated(String field, Map<String, String> metadata) {
        if (metadata == null) {
            return Map.of();
        }
        if (metadata.size() > Identifiers.MAX_METADATA_ENTRIES) {
            throw new InvalidInputException(field, "at most " + Identifiers.MAX_METADATA_ENTRIES + " entries");
        }
        Map<String, String> copy = new TreeMap<>();
        metadata.forEach((key, value) -> {
            Identifiers.requireMetadataKey(field, key);
            copy.put(key, Identifiers.requireMetadataValue(field + "." + key, value));
        });
        return copy;
    }

    /**
     * Applies a merge patch (RFC 7396 semantics on a flat map): a null value removes the key,
     * any other value sets it.
     */
    public static Map<String, String> merge(Map<String, String> current, Map<String, String> patch) {
        Map<String, String> merged = new TreeMap<>(current);
        patch.forEach((key, value) -> {
            if (value == null) {
                merged.remove(key);
            } else {
                merged.put(key, value);
            }
        });
        return validated("metadata", merged);
    }
}
