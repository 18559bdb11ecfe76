package dev.namu.server.interop;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** One finished run of an external command: exit code and output. Runs are bounded in time. */
public record ToolRun(List<String> command, int exitCode, String stdout, String stderr) {

    /** Runs {@code command}, killing it (by its PID) if it takes longer than {@code limit}. */
    public static ToolRun run(Duration limit, List<String> command) throws IOException, InterruptedException {
        return run(limit, command, java.util.Map.of());
    }

    /** Runs {@code command} with {@code env} added to the environment, as {@link #run(Duration, List)}. */
    public static ToolRun run(Duration limit, List<String> command, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(env);
        Process process = builder.start();
        CompletableFuture<String> out = drain(process.getInputStream());
        CompletableFuture<String> err = drain(process.getErrorStream());
        if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            throw new IllegalStateException(command + " did not finish within " + limit.toSeconds() + "s");
        }
        try {
            return new ToolRun(List.copyOf(command), process.exitValue(), out.get(), err.get());
        } catch (ExecutionException e) {
            throw new IOException("cannot read the output of " + command, e.getCause());
        }
    }

    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(output unreadable: " + e.getMessage() + ")";
            }
        });
    }

    /** For assertion messages: the command and everything it printed. */
    public String transcript() {
        return "$ " + String.join(" ", command) + "\n(exit " + exitCode + ")\n" + stdout
                + (stderr.isEmpty() ? "" : "stderr:\n" + stderr);
    }
}
