package org.edgevim.core.image;

import java.util.Map;

/**
 * An Mm4 "update software image" request: only labels change, never bytes or formats.
 * Null fields are left as they are; userMetadata is merged (a null value removes a key).
 */
public record ImageUpdate(String name, String version, Map<String, String> userMetadata) {
}
