package io.probity.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.probity.api.ApiException;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Streaming parser for prediction records sent as a JSON array or as NDJSON.
 *
 * <p>The bare tokens {@code NaN}, {@code Infinity} and {@code -Infinity} are accepted in numeric
 * arrays because Python's {@code json} module writes them; a JSON {@code null} inside a numeric
 * array is read as NaN. Unknown fields are skipped. A value of the wrong JSON type is recorded
 * as a field error on its record; malformed JSON fails the whole request with a 400 that names
 * the line and column.
 *
 * <p>Numbers are converted with Jackson's FastDoubleParser, which rounds correctly like
 * {@link Double#parseDouble} but is several times faster on the 17-digit decimals that Python
 * writes for float32 values. With the JDK parser, those took about a quarter of the server's JFR
 * execution samples in bench/ingest-load.sh.
 */
final class PredictionParser {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build();
    private static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

    private final int maxRecords;

    PredictionParser(int maxRecords) {
        this.maxRecords = maxRecords;
    }

    /**
     * Parses all records of a request body.
     *
     * @param ndjson true for {@code application/x-ndjson}, false for a JSON array (a single
     *               object is also accepted)
     */
    List<IncomingPrediction> parse(InputStream body, boolean ndjson) {
        List<IncomingPrediction> records = new ArrayList<>();
        try (JsonParser parser = FACTORY.createParser(body)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                return records;
            }

            if (!ndjson && first == JsonToken.START_ARRAY) {
                JsonToken token;
                while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                    if (token == null) {
                        throw malformed("the JSON array is not closed", parser.currentLocation());
                    }
                    records.add(readRecord(parser, records.size()));
                }
                if (parser.nextToken() != null) {
                    throw malformed("unexpected content after the JSON array", parser.currentLocation());
                }
                return records;
            }

            JsonToken token = first;
            while (token != null) {
                records.add(readRecord(parser, records.size()));
                token = parser.nextToken();
            }
            return records;
        } catch (JsonParseException e) {
            throw malformed(e.getOriginalMessage(), e.getLocation());
        } catch (IOException e) {
            throw ApiException.badRequest("Failed to read the request body: " + e.getMessage());
        }
    }

    private IncomingPrediction readRecord(JsonParser parser, int index) throws IOException {
        if (index >= maxRecords) {
            throw ApiException.payloadTooLarge("Request has more than " + maxRecords
                    + " records; split it into requests of at most " + maxRecords);
        }
        if (parser.currentToken() != JsonToken.START_OBJECT) {
            throw malformed("record " + index + " is not a JSON object", parser.currentTokenLocation());
        }

        IncomingPrediction record = new IncomingPrediction(index);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "model" -> record.model = readText(parser, record, field);
                case "modelVersion" -> record.modelVersion = readText(parser, record, field);
                case "predictionId" -> record.predictionId = readText(parser, record, field);
                case "timestamp" -> record.timestamp = readText(parser, record, field);
                case "classes" -> record.classes = readStrings(parser, record, field);
                case "logits" -> record.logits = readNumbers(parser, record, field);
                case "probabilities" -> record.probabilities = readNumbers(parser, record, field);
                case "predictedClass" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        record.predictedClassIndex = parser.getIntValue();
                    } else {
                        record.predictedClassName = readText(parser, record, field);
                    }
                }
                case "label" -> {
                    if (value == JsonToken.VALUE_NUMBER_INT) {
                        record.labelIndex = parser.getIntValue();
                    } else {
                        record.labelName = readText(parser, record, field);
                    }
                }
                case "temperature" -> {
                    if (value.isNumeric()) {
                        record.temperature = parser.getDoubleValue();
                    } else if (value != JsonToken.VALUE_NULL) {
                        record.error(field, "must be a positive number, got " + describe(parser)
                                + "; send for example 1.0");
                        parser.skipChildren();
                    }
                }
                case "attributes" -> {
                    if (value == JsonToken.START_OBJECT) {
                        JsonNode node = MAPPER.readTree(parser);
                        record.attributesJson = node.toString();
                    } else if (value != JsonToken.VALUE_NULL) {
                        record.error(field, "must be a JSON object, got " + describe(parser)
                                + "; send for example {\"region\": \"eu\"}");
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return record;
    }

    private static String readText(JsonParser parser, IncomingPrediction record, String field) throws IOException {
        JsonToken token = parser.currentToken();
        if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
            return parser.getText();
        }
        if (token == JsonToken.VALUE_NULL) {
            return null;
        }
        record.error(field, "must be a string, got " + describe(parser));
        parser.skipChildren();
        return null;
    }

    private static List<String> readStrings(JsonParser parser, IncomingPrediction record, String field)
            throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            record.error(field, "must be an array of class names, got " + describe(parser)
                    + "; send for example [\"cat\", \"dog\"]");
            parser.skipChildren();
            return null;
        }
        List<String> values = new ArrayList<>();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
                values.add(parser.getText());
            } else {
                record.error(field + "[" + values.size() + "]", "must be a class name string, got "
                        + describe(parser));
                parser.skipChildren();
                values.add(null);
            }
        }
        return values;
    }

    private static double[] readNumbers(JsonParser parser, IncomingPrediction record, String field)
            throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            record.error(field, "must be an array of numbers, got " + describe(parser)
                    + "; send for example [2.5, 1.2, 0.5]");
            parser.skipChildren();
            return null;
        }
        double[] values = new double[16];
        int n = 0;
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
            double value;
            if (token.isNumeric()) {
                value = parser.getDoubleValue();
            } else if (token == JsonToken.VALUE_NULL) {
                value = Double.NaN;
            } else {
                record.error(field + "[" + n + "]", "must be a number (NaN and Infinity are allowed), got "
                        + describe(parser));
                parser.skipChildren();
                value = Double.NaN;
            }
            if (n == values.length) {
                values = java.util.Arrays.copyOf(values, n * 2);
            }
            values[n++] = value;
        }
        return n == values.length ? values : java.util.Arrays.copyOf(values, n);
    }

    private static String describe(JsonParser parser) throws IOException {
        JsonToken token = parser.currentToken();
        return switch (token) {
            case START_ARRAY -> "an array";
            case START_OBJECT -> "an object";
            case VALUE_STRING -> "the string \"" + abbreviate(parser.getText()) + "\"";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            default -> parser.getText();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }

    private static ApiException malformed(String reason, JsonLocation location) {
        return new ApiException(400, "malformed-json", "Malformed JSON at line " + location.getLineNr()
                + ", column " + location.getColumnNr() + ": " + reason
                + "; fix the request body and send it again (nothing was stored)");
    }
}
