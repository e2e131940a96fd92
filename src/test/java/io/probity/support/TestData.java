package io.probity.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Reads the shipped data sets and gives each test its own model names. */
public final class TestData {

    public static final String API_KEY = "test-key";
    public static final String ADMIN_PASSWORD = "test-admin-password";

    private TestData() {
    }

    /** Returns a classpath resource as UTF-8 text. */
    public static String resource(String path) {
        try (InputStream in = TestData.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalArgumentException("Missing test resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the non-blank lines of an NDJSON resource. */
    public static List<String> lines(String path) {
        return Arrays.stream(resource(path).split("\n")).filter(line -> !line.isBlank()).toList();
    }

    /** Returns a model name no other test uses. */
    public static String uniqueModel(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Replaces the model name in NDJSON lines, so a test's records do not meet another test's. */
    public static String withModel(List<String> lines, String from, String to) {
        String needle = "\"model\":\"" + from + "\"";
        String replacement = "\"model\":\"" + to + "\"";
        return String.join("\n", lines.stream().map(line -> line.replace(needle, replacement)).toList());
    }
}
