package io.probity.security;

import java.util.List;

/** Body of {@code POST /api/v1/admin/api-keys}; {@code expiresAt} is ISO-8601 with an offset, or absent. */
public record ApiKeyRequest(String name, List<String> scope, List<String> models, String expiresAt) {
}
