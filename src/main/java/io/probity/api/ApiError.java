package io.probity.api;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * Body of every error response of the REST API.
 *
 * @param status  HTTP status code, repeated for clients that only keep the body
 * @param error   short machine-readable code such as {@code payload-too-large}
 * @param message what failed, on which value, and what to do next
 * @param details optional field-level errors
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ApiError(int status, String error, String message, List<FieldError> details) {
}
