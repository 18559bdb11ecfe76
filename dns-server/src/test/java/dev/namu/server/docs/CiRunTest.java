package dev.namu.server.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.namu.server.interop.ToolRun;
import dev.namu.server.peers.ProjectRoot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code .ci/run} against stub {@code dpkg-query}, {@code apt-get}, {@code id}, {@code sudo} and
 * {@code mvn} (nothing is installed, no root needed): it installs only the missing packages,
 * without prompts, with a policy-rc.d that stops daemons from starting (removed afterwards unless
 * it was there before), and always ends by running the README's test command.
 */
class CiRunTest {

    @TempDir
    Path temp;
    private Path repo;
    private Path bin;
    private Path log;
    private Path policy;

    @BeforeEach
    void stubs() throws IOException {
        repo = Files.createDirectories(temp.resolve("repo/.ci"));
        Files.copy(ProjectRoot.find().resolve(".ci/run"), repo.resolve("run"));
        executable(repo.resolve("run"));
        bin = Files.createDirectories(temp.resolve("bin"));
        log = temp.resolve("calls.log");
        policy = temp.resolve("policy-rc.d");
        // dpkg-query: a package is installed unless listed in $MISSING
        stub("dpkg-query", "pkg=\"${@: -1}\"; case \" $MISSING \" in *\" $pkg \"*) exit 1;; esac; "
                + "printf 'install ok installed'");
        stub("apt-get", "echo \"apt-get $* DEBIAN_FRONTEND=$DEBIAN_FRONTEND policy=$(sh \"$NAMU_POLICY_RC_D\" "
                + ">/dev/null 2>&1; echo $?)\" >> \"$LOG\"");
        stub("mvn", "echo \"mvn $*\" >> \"$LOG\"");
        stub("javac", "exit 0");
        stub("id", "echo \"${FAKE_UID:-0}\"");
        stub("sudo", "exit 1");
    }

    private void stub(String name, String body) throws IOException {
        Path file = bin.resolve(name);
        Files.writeString(file, "#!/usr/bin/env bash\n" + body + "\n", StandardCharsets.UTF_8);
        executable(file);
    }

    private static void executable(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private ToolRun ciRun(Map<String, String> env) throws Exception {
        List<String> command = new ArrayList<>(List.of("env", "PATH=" + bin + ":/usr/bin:/bin", "LOG=" + log,
                "NAMU_POLICY_RC_D=" + policy));
        env.forEach((k, v) -> command.add(k + "=" + v));
        command.add(repo.resolve("run").toString());
        return ToolRun.run(Duration.ofSeconds(30), command);
    }

    private List<String> calls() throws IOException {
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void installsOnlyWhatIsMissingWithoutPromptsOrDaemonsThenRunsTheTests() throws Exception {
        ToolRun run = ciRun(Map.of("MISSING", "nsd knot-dnsutils"));
        assertEquals(0, run.exitCode(), run.transcript());
        List<String> calls = calls();
        assertEquals(3, calls.size(), calls.toString());
        assertTrue(calls.get(0).startsWith("apt-get update"), calls.toString());
        String install = calls.get(1);
        assertTrue(install.startsWith("apt-get install -y -qq --no-install-recommends"), install);
        assertTrue(install.contains("--force-confold") && install.contains("DEBIAN_FRONTEND=noninteractive"), install);
        assertTrue(install.contains(" knot-dnsutils nsd ") && !install.contains("unbound"), install);
        assertTrue(install.endsWith("policy=101"), "daemons may not start during the install: " + install);
        assertEquals("mvn -B verify", calls.get(2));
        assertFalse(Files.exists(policy), "the policy-rc.d this script made is removed");
    }

    @Test
    void nothingMissingMeansNoAptAtAll() throws Exception {
        ToolRun run = ciRun(Map.of("MISSING", ""));
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(List.of("mvn -B verify"), calls());
    }

    @Test
    void anExistingPolicyIsLeftAsItWas() throws Exception {
        Files.writeString(policy, "#!/bin/sh\nexit 101\n");
        ToolRun run = ciRun(Map.of("MISSING", "unbound"));
        assertEquals(0, run.exitCode(), run.transcript());
        assertTrue(Files.exists(policy));
        assertEquals("mvn -B verify", calls().get(calls().size() - 1));
    }

    @Test
    void withoutRootOrSudoItWarnsAndStillRunsTheTests() throws Exception {
        ToolRun run = ciRun(Map.of("MISSING", "nsd", "FAKE_UID", "1000"));
        assertEquals(0, run.exitCode(), run.transcript());
        assertEquals(List.of("mvn -B verify"), calls());
        assertTrue(run.stderr().contains("cannot install nsd"), run.transcript());
    }
}
