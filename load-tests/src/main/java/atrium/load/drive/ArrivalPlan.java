package atrium.load.drive;

import java.util.List;

/** The stages of a run one after the other, and when each request is due (nanoseconds from the run's start). */
public record ArrivalPlan(List<Stage> stages) {
  public ArrivalPlan {
    stages = List.copyOf(stages);
    if (stages.isEmpty()) throw new IllegalArgumentException("a load profile needs at least one stage");
  }

  public long planned() {
    return stages.stream().mapToLong(Stage::planned).sum();
  }

  public double seconds() {
    return stages.stream().mapToDouble(Stage::seconds).sum();
  }

  /** The stage's start, in nanoseconds from the run's start. */
  public long stageStartNanos(int index) {
    long t = 0;
    for (int i = 0; i < index; i++) t += stages.get(i).duration().toNanos();
    return t;
  }

  /** The planned rate at {@code seconds} from the run's start (0 after the end). */
  public double rateAt(double seconds) {
    double t = seconds;
    for (Stage s : stages) {
      if (t < s.seconds()) return s.from() + (s.to() - s.from()) * t / s.seconds();
      t -= s.seconds();
    }
    return 0;
  }
}
