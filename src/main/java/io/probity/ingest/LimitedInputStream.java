package io.probity.ingest;

import io.probity.api.ApiException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Input stream that raises a 413 {@link ApiException} once more than {@code limit} bytes were read. */
final class LimitedInputStream extends FilterInputStream {

    private final long limit;
    private long count;

    LimitedInputStream(InputStream in, long limit) {
        super(in);
        this.limit = limit;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            advance(1);
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        if (n > 0) {
            advance(n);
        }
        return n;
    }

    private void advance(int n) {
        count += n;
        if (count > limit) {
            throw ApiException.payloadTooLarge("Request body is larger than " + limit
                    + " bytes; split it into several requests");
        }
    }
}
