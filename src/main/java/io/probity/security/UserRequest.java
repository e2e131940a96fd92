package io.probity.security;

import java.util.List;

/**
 * Body of {@code POST /api/v1/admin/users} and {@code PATCH /api/v1/admin/users/{name}}. In a
 * PATCH, absent (null) fields stay as they are. {@code models} lists the models the user may
 * see; an empty list, or leaving it out on create, means every model.
 */
public record UserRequest(String name, String password, List<String> roles, List<String> models, Boolean enabled) {
}
