package dev.namu.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code namuctl completion}: prints a bash/zsh completion script: {@code source <(namuctl completion)}. */
@Command(name = "completion",
    description = {"Print a bash (and zsh) completion script for namuctl.",
        "Use: source <(namuctl completion)   or save it to /etc/bash_completion.d/namuctl"})
public final class CompletionCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Override
  public Integer call() {
    String script = AutoComplete.bash("namuctl", spec.root().commandLine());
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return 0;
  }
}
