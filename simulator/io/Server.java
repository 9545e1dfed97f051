package io;

import engine.Level;
import evaluation.Episode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The `serve` mode: one JSON request per line on stdin, one JSON reply per line on stdout.
 * A bad request gets an error reply and the server keeps serving; end of input stops it.
 */
public final class Server {
    /** Protocol version announced in the handshake line. */
    public static final int PROTOCOL = 1;
    /** Longest accepted request line in bytes; longer lines are skipped and answered with an error. */
    public static final int MAX_LINE_BYTES = 16 * 1024 * 1024;

    private final InputStream in;
    private final PrintStream out;

    public Server(InputStream in, OutputStream out) {
        this.in = in;
        this.out = new PrintStream(out, false, StandardCharsets.UTF_8);
    }

    /** Prints the handshake ({@link Handshake}), then serves until end of input. */
    public void run(String version) throws IOException {
        send(Handshake.of(version));
        LineReader reader = new LineReader(in, MAX_LINE_BYTES);
        while (true) {
            String line = reader.next();
            if (line == null) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            send(answer(line, reader.lastLineTooLong()));
        }
        out.flush();
    }

    /** The reply to one request line. */
    static Map<String, Object> answer(String line, boolean tooLong) {
        Object id = null;
        Map<String, Object> reply = new LinkedHashMap<>();
        try {
            if (tooLong) {
                throw new IllegalArgumentException("request line longer than " + MAX_LINE_BYTES + " bytes");
            }
            Object json = Json.parse(line);
            id = Request.idOf(json);
            Request request = Request.from(json);
            Level level = LevelParser.parse(request.level, request.alphabet, request.segmentStart);
            Map<String, Object> telemetry = Episode.play(level, request.settings);
            reply.put("id", request.id);
            reply.put("ok", true);
            reply.put("telemetry", telemetry);
            return reply;
        } catch (IllegalArgumentException e) {
            return error(id, e.getMessage());
        } catch (StackOverflowError | OutOfMemoryError e) {
            return error(id, "request too large to process (" + e.getClass().getSimpleName() + ")");
        } catch (RuntimeException e) {
            return error(id, "internal error: " + e);
        }
    }

    private static Map<String, Object> error(Object id, String message) {
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("id", id);
        reply.put("ok", false);
        reply.put("error", message);
        return reply;
    }

    private void send(Map<String, Object> message) {
        out.print(Json.write(message));
        out.print('\n');
        out.flush();
    }

    /** Reads UTF-8 lines, skipping over (but reporting) lines longer than a limit. */
    static final class LineReader {
        private final InputStream in;
        private final int maxBytes;
        private final byte[] buffer = new byte[65536];
        private int start;
        private int end;
        private boolean tooLong;

        LineReader(InputStream in, int maxBytes) {
            this.in = in;
            this.maxBytes = maxBytes;
        }

        boolean lastLineTooLong() {
            return tooLong;
        }

        /** The next line without its newline, "" for an over-long line, or null at end of input. */
        String next() throws IOException {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            tooLong = false;
            boolean any = false;
            while (true) {
                if (start == end) {
                    end = in.read(buffer);
                    start = 0;
                    if (end <= 0) {
                        end = 0;
                        return any ? finish(line) : null;
                    }
                }
                any = true;
                int newline = -1;
                for (int i = start; i < end; i++) {
                    if (buffer[i] == '\n') {
                        newline = i;
                        break;
                    }
                }
                int stop = newline < 0 ? end : newline;
                if (!tooLong) {
                    if (line.size() + (stop - start) > maxBytes) {
                        tooLong = true;
                        line.reset();
                    } else {
                        line.write(buffer, start, stop - start);
                    }
                }
                if (newline >= 0) {
                    start = newline + 1;
                    return finish(line);
                }
                start = end;
            }
        }

        private String finish(java.io.ByteArrayOutputStream line) {
            if (tooLong) {
                return "-";
            }
            String text = line.toString(StandardCharsets.UTF_8);
            return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
        }
    }
}
