package atrium.load.memory;

import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The command line every benchmark shares: parse the options (an {@link IllegalArgumentException}
 * with an empty message asks for the usage, with a message names the mistake), run, print the summary
 * and where the report went, and exit 0 only when the run was complete.
 */
final class BenchmarkMain {
  private BenchmarkMain() {}

  interface Run<O, R> {
    R run(O options) throws Exception;
  }

  static <O, R> void main(String[] args, Function<String[], O> parse, String usage, Function<O, Path> out, Run<O, R> run,
      Function<R, String> summary, Predicate<R> complete) throws Exception {
    O options;
    try {
      options = parse.apply(args);
    } catch (IllegalArgumentException e) {
      if (!e.getMessage().isEmpty()) System.err.println(e.getMessage());
      System.err.println(usage);
      System.exit(e.getMessage().isEmpty() ? 0 : 2);
      return;
    }
    R report = run.run(options);
    System.out.println(summary.apply(report));
    if (out.apply(options) != null) System.out.println("report written to " + out.apply(options).toAbsolutePath());
    System.exit(complete.test(report) ? 0 : 1);
  }
}
