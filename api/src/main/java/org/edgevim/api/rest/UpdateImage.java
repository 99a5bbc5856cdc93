package org.edgevim.api.rest;

import java.util.Map;

/** Body of {@code PATCH /mm4/v1/images/{imageId}}: labels only; userMetadata is merged (null removes a key). */
public record UpdateImage(String name, String version, Map<String, String> userMetadata) {
}
