package io.probity.api;

/**
 * One rejected value: the JSON field it came from and why it was rejected, with the fix.
 */
public record FieldError(String field, String message) {
}
