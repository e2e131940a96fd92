package io.probity.audit.bench;

import io.probity.audit.AuditResult;
import io.probity.audit.AuditSettings;
import io.probity.audit.Softmax;
import io.probity.audit.SoftmaxAuditor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Speed of the audit on the ingestion hot path and of the float64 softmax on a large batch.
 *
 * <p>Inputs come from {@link SplitMix64}, which bench/softmax_numpy.py reimplements, so the softmax batch is
 * the same 1,000,000 x 10 matrix that NumPy and SciPy are timed on. Run it with bench/run-audit-bench.sh, or
 * with this class's main method on the test classpath.
 */
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class AuditBenchmark {

    /** Seed shared with bench/softmax_numpy.py. */
    public static final long SEED = 20260618L;
    public static final int BATCH_ROWS = 1_000_000;
    public static final int BATCH_CLASSES = 10;

    /** Clean float32 records: float64 softmax of random logits, each value stored as float32. */
    @State(Scope.Thread)
    public static class Records {
        /** Records cycled through so that branch predictors do not learn a single record. */
        static final int COUNT = 1024;

        @Param({"3", "10", "100", "1000"})
        public int classes;

        double[][] logits;
        double[][] reported;
        int[] predicted;
        int next;

        @Setup(Level.Trial)
        public void create() {
            SplitMix64 random = new SplitMix64(SEED + classes);
            logits = new double[COUNT][classes];
            reported = new double[COUNT][];
            predicted = new int[COUNT];
            for (int r = 0; r < COUNT; r++) {
                for (int c = 0; c < classes; c++) {
                    logits[r][c] = random.nextLogit();
                }
                double[] p = Softmax.softmax(logits[r], 1.0);
                reported[r] = new double[classes];
                int top = 0;
                for (int c = 0; c < classes; c++) {
                    reported[r][c] = (float) p[c];
                    if (reported[r][c] > reported[r][top]) {
                        top = c;
                    }
                }
                predicted[r] = top;
                AuditResult check = SoftmaxAuditor.audit(logits[r], reported[r], top, 1.0, AuditSettings.DEFAULT);
                if (!check.causes().isEmpty()) {
                    throw new IllegalStateException("benchmark record " + r + " is not clean: " + check.explanation());
                }
            }
        }
    }

    /** The 1,000,000 x 10 float64 logits matrix, one array per row. */
    @State(Scope.Thread)
    public static class Batch {
        double[][] logits;
        double[][] probabilities;

        @Setup(Level.Trial)
        public void create() {
            logits = batchLogits();
            probabilities = new double[BATCH_ROWS][BATCH_CLASSES];
        }
    }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public AuditResult auditCleanRecord(Records records) {
        int r = records.next;
        records.next = (r + 1) & (Records.COUNT - 1);
        return SoftmaxAuditor.audit(records.logits[r], records.reported[r], records.predicted[r], 1.0,
                AuditSettings.DEFAULT);
    }

    /** Computes the softmax of all 1,000,000 rows, which is one operation. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public double[][] softmaxBatch(Batch batch) {
        double[][] logits = batch.logits;
        double[][] out = batch.probabilities;
        for (int r = 0; r < logits.length; r++) {
            Softmax.softmaxInto(logits[r], 1.0, out[r]);
        }
        return out;
    }

    /** Returns the batch matrix that bench/softmax_numpy.py also builds. */
    public static double[][] batchLogits() {
        SplitMix64 random = new SplitMix64(SEED);
        double[][] logits = new double[BATCH_ROWS][BATCH_CLASSES];
        for (double[] row : logits) {
            for (int c = 0; c < BATCH_CLASSES; c++) {
                row[c] = random.nextLogit();
            }
        }
        return logits;
    }

    /**
     * SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014), the
     * generator behind {@link java.util.SplittableRandom}, written out so that Python can reproduce it.
     */
    static final class SplitMix64 {
        private long state;

        SplitMix64(long seed) {
            this.state = seed;
        }

        long nextLong() {
            state += 0x9E3779B97F4A7C15L;
            long z = state;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        /** Returns a logit uniform in [-8, 8): the top 53 bits as a fraction in [0, 1), scaled. */
        double nextLogit() {
            return ((nextLong() >>> 11) * 0x1p-53) * 16 - 8;
        }
    }

    /**
     * Returns {@code sum over the first 1,000 rows of p[r][c] * (c + 1)} for the batch softmax, the checksum that
     * bench/softmax_numpy.py prints for SciPy's result.
     */
    static double batchChecksum() {
        double[][] logits = batchLogits();
        double checksum = 0;
        for (int r = 0; r < 1000; r++) {
            double[] p = Softmax.softmax(logits[r], 1.0);
            for (int c = 0; c < BATCH_CLASSES; c++) {
                checksum += p[c] * (c + 1);
            }
        }
        return checksum;
    }

    /**
     * Runs the benchmarks with the settings above. Arguments: an optional regular expression of benchmark
     * names and an optional JSON result file; or {@code --checksum} alone to print the first logit and the
     * batch checksum as JSON.
     */
    public static void main(String[] args) throws RunnerException {
        if (args.length == 1 && args[0].equals("--checksum")) {
            System.out.println("{\"firstLogit\": " + batchLogits()[0][0] + ", \"checksum\": " + batchChecksum() + "}");
            return;
        }
        OptionsBuilder options = new OptionsBuilder();
        options.include(AuditBenchmark.class.getName() + "." + (args.length > 0 ? args[0] : ".*"));
        if (args.length > 1) {
            options.resultFormat(org.openjdk.jmh.results.format.ResultFormatType.JSON).result(args[1]);
        }
        Options built = options.build();
        new Runner(built).run();
    }
}
