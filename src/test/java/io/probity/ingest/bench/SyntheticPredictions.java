package io.probity.ingest.bench;

import io.probity.audit.Softmax;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Seeded synthetic predictions of a 10-class image classifier, rendered as NDJSON request bodies.
 *
 * <p>Each record looks like traffic from a float32 model server: float32 logits, probabilities that
 * are the float64 softmax of those logits rounded to float32 (so the softmax audit passes), the
 * argmax as {@code predictedClass}, a random version-4 UUID as {@code predictionId}, a timestamp in
 * the 14 days from 2026-06-01, two attributes, and a ground-truth label on 30 % of the records.
 * The top logit is correct for 85 % of the records.
 */
final class SyntheticPredictions {

    /** The CIFAR-10 class names. */
    static final List<String> CLASSES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");
    static final String VERSION = "v1";

    private static final Instant START = Instant.parse("2026-06-01T00:00:00Z");
    private static final long SPAN_MILLIS = 14L * 24 * 3600 * 1000;
    private static final double LABELLED_SHARE = 0.30;
    private static final double ACCURACY = 0.85;
    private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "ap-south"};
    private static final String[] DEVICES = {"mobile", "desktop", "kiosk"};

    /** How logits and probabilities, which are float32 values, are written as JSON numbers. */
    enum NumberFormat {
        /**
         * {@code Double.toString} of the value widened to float64, which reads back as exactly the
         * float32 value; Python's {@code json.dumps(array.tolist())} writes the same numbers.
         */
        FLOAT64,
        /**
         * {@code Float.toString}, the short form that reads back as the same float32 but as a
         * float64 that differs from it, so the audit has to recognise float32 text.
         */
        FLOAT32
    }

    /** One generated prediction; {@code label} is -1 for an unlabelled record. */
    record Prediction(String id, Instant timestamp, float[] logits, float[] probabilities, int predicted, int label,
                      String region, String device) {
    }

    private SyntheticPredictions() {
    }

    /**
     * Generates {@code count} predictions; the same seed gives the same predictions.
     *
     * @param timeOrdered true to sort them by timestamp, as live traffic arrives; false leaves the
     *                    timestamps in random order, as a shuffled backfill sends them
     */
    static List<Prediction> generate(long seed, int count, boolean timeOrdered) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Prediction> predictions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            predictions.add(next(random));
        }
        if (timeOrdered) {
            predictions.sort(java.util.Comparator.comparing(Prediction::timestamp));
        }
        return predictions;
    }

    private static Prediction next(SplittableRandom random) {
        int classCount = CLASSES.size();
        int truth = random.nextInt(classCount);
        int top = random.nextDouble() < ACCURACY ? truth : (truth + 1 + random.nextInt(classCount - 1)) % classCount;

        // Logits are noise plus a boost for the top class; the boost's spread gives confidences from
        // about 0.3 to nearly 1.
        float[] logits = new float[classCount];
        double[] logitsAsDouble = new double[classCount];
        for (int c = 0; c < classCount; c++) {
            double boost = c == top ? 2.0 + 6.0 * random.nextDouble() : 0.0;
            logits[c] = (float) (random.nextGaussian() * 1.2 + boost);
            logitsAsDouble[c] = logits[c];
        }

        double[] softmax = Softmax.softmax(logitsAsDouble, 1.0);
        float[] probabilities = new float[classCount];
        int predicted = 0;
        for (int c = 0; c < classCount; c++) {
            probabilities[c] = (float) softmax[c];
            if (probabilities[c] > probabilities[predicted]) {
                predicted = c;
            }
        }

        UUID id = new UUID((random.nextLong() & ~0xF000L) | 0x4000L,
                (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
        Instant timestamp = START.plusMillis(random.nextLong(SPAN_MILLIS));
        int label = random.nextDouble() < LABELLED_SHARE ? truth : -1;
        return new Prediction(id.toString(), timestamp, logits, probabilities, predicted, label,
                REGIONS[random.nextInt(REGIONS.length)], DEVICES[random.nextInt(DEVICES.length)]);
    }

    /**
     * Renders predictions as NDJSON bodies of at most {@code batchSize} records each.
     *
     * @param sendClasses whether the first record of the first body carries the class list, which
     *                    registers the model version
     */
    static List<byte[]> ndjsonBatches(List<Prediction> predictions, String model, int batchSize,
                                      NumberFormat format, boolean sendClasses) {
        List<byte[]> batches = new ArrayList<>(predictions.size() / batchSize + 1);
        StringBuilder body = new StringBuilder(batchSize * 520);
        for (int i = 0; i < predictions.size(); i++) {
            appendRecord(body, predictions.get(i), model, format, sendClasses && i == 0);
            if ((i + 1) % batchSize == 0 || i == predictions.size() - 1) {
                batches.add(body.toString().getBytes(StandardCharsets.UTF_8));
                body.setLength(0);
            }
        }
        return batches;
    }

    private static void appendRecord(StringBuilder json, Prediction p, String model, NumberFormat format,
                                     boolean withClasses) {
        json.append("{\"model\":\"").append(model)
                .append("\",\"modelVersion\":\"").append(VERSION)
                .append("\",\"predictionId\":\"").append(p.id())
                .append("\",\"timestamp\":\"").append(p.timestamp()).append('"');
        if (withClasses) {
            json.append(",\"classes\":[");
            for (int c = 0; c < CLASSES.size(); c++) {
                json.append(c == 0 ? "\"" : ",\"").append(CLASSES.get(c)).append('"');
            }
            json.append(']');
        }
        appendFloats(json.append(",\"logits\":"), p.logits(), format);
        appendFloats(json.append(",\"probabilities\":"), p.probabilities(), format);
        json.append(",\"predictedClass\":\"").append(CLASSES.get(p.predicted())).append('"');
        if (p.label() >= 0) {
            json.append(",\"label\":\"").append(CLASSES.get(p.label())).append('"');
        }
        json.append(",\"attributes\":{\"region\":\"").append(p.region())
                .append("\",\"device\":\"").append(p.device()).append("\"}}\n");
    }

    private static void appendFloats(StringBuilder json, float[] values, NumberFormat format) {
        json.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                json.append(',');
            }
            if (format == NumberFormat.FLOAT64) {
                json.append(Double.toString(values[i]));
            } else {
                json.append(Float.toString(values[i]));
            }
        }
        json.append(']');
    }
}
