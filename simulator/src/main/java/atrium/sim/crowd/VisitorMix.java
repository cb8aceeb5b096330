package atrium.sim.crowd;

import atrium.core.site.Zone;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Who the visitors are and how they shop. Age-group shares (normalised, so they need not sum to 1)
 * apply to visitors without reduced mobility; {@code reducedMobilityShare} of all visitors walk at the
 * limited-mobility speeds. A visit has {@code 1 + Poisson(meanShopsPerVisit − 1)} stops, each a shop
 * drawn with probability proportional to its area times its category's weight (1 when the category
 * is not in {@code categoryWeights}), times {@code otherFloorWeight} if it is on another floor than
 * the visitor (shoppers mostly stay on a floor; 1 means no preference); the dwell in each is log-normal with the given median (minutes)
 * and σ of its logarithm. The pre-movement (reaction) time after an alarm is log-normal too.
 */
public record VisitorMix(
    double under30Share,
    double from30To50Share,
    double over50Share,
    double reducedMobilityShare,
    double meanShopsPerVisit,
    double dwellMedianMinutes,
    double dwellSigma,
    double preMovementMedianSeconds,
    double preMovementSigma,
    double otherFloorWeight,
    Map<Zone.Category, Double> categoryWeights) {

  /**
   * A plausible mall population, not a published one: shares of a city's adult shoppers, 3 shops of
   * a median 12 minutes, a median pre-movement of 60 s (σ 0.6) as often assumed for a public building
   * with a voice alarm, a shop on another floor a third as likely as one on the same floor.
   */
  public static final VisitorMix DEFAULT = new VisitorMix(0.40, 0.35, 0.25, 0.03, 3.0, 12.0, 0.7, 60.0, 0.6, 0.33, Map.of());

  public VisitorMix {
    if (under30Share < 0 || from30To50Share < 0 || over50Share < 0 || under30Share + from30To50Share + over50Share <= 0) {
      throw new IllegalArgumentException("age-group shares must be >= 0 and not all 0");
    }
    if (reducedMobilityShare < 0 || reducedMobilityShare > 1) throw new IllegalArgumentException("reducedMobilityShare must be in [0, 1]");
    if (!(meanShopsPerVisit >= 1)) throw new IllegalArgumentException("meanShopsPerVisit must be >= 1");
    if (!(dwellMedianMinutes > 0) || !(dwellSigma >= 0)) throw new IllegalArgumentException("dwell median must be > 0, sigma >= 0");
    if (!(preMovementMedianSeconds >= 0) || !(preMovementSigma >= 0)) throw new IllegalArgumentException("pre-movement median and sigma must be >= 0");
    if (!(otherFloorWeight >= 0)) throw new IllegalArgumentException("otherFloorWeight must be >= 0");
    categoryWeights = categoryWeights == null ? Map.of() : Map.copyOf(categoryWeights);
    for (double w : categoryWeights.values()) if (!(w >= 0)) throw new IllegalArgumentException("category weights must be >= 0");
  }

  public AgeGroup drawGroup(SplittableRandom random) {
    if (random.nextDouble() < reducedMobilityShare) return AgeGroup.LIMITED_MOBILITY;
    double u = random.nextDouble() * (under30Share + from30To50Share + over50Share);
    if (u < under30Share) return AgeGroup.UNDER_30;
    if (u < under30Share + from30To50Share) return AgeGroup.FROM_30_TO_50;
    return AgeGroup.OVER_50;
  }

  public int drawStops(SplittableRandom random) {
    double mean = meanShopsPerVisit - 1, limit = StrictMath.exp(-mean), p = random.nextDouble();
    int k = 0;
    while (p > limit && k < 50) {
      p *= random.nextDouble();
      k++;
    }
    return 1 + k;
  }

  /** seconds */
  public double drawDwell(SplittableRandom random) {
    return 60 * dwellMedianMinutes * StrictMath.exp(dwellSigma * gaussian(random));
  }

  /** seconds */
  public double drawPreMovement(SplittableRandom random) {
    return preMovementMedianSeconds * StrictMath.exp(preMovementSigma * gaussian(random));
  }

  double weight(Zone.Category category) {
    return category == null ? 1.0 : categoryWeights.getOrDefault(category, 1.0);
  }

  /** A standard normal deviate by Box–Muller, with StrictMath so every JVM draws the same. */
  static double gaussian(SplittableRandom random) {
    double u = 1.0 - random.nextDouble(), v = random.nextDouble();
    return StrictMath.sqrt(-2 * StrictMath.log(u)) * StrictMath.cos(2 * Math.PI * v);
  }
}
