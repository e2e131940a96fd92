package io.probity.security;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares who may call a REST resource method (or every method of a class): users holding
 * {@link #role()} or a role above it, and API keys holding one of {@link #scopes()}. Bootstrap
 * keys may call everything. A method under {@code /api} without this annotation is denied to all.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ApiAccess {

    /** Minimum user role that may call; see {@link Role}. */
    String role();

    /** API key scopes that may call; empty when no created key may. */
    String[] scopes() default {};
}
