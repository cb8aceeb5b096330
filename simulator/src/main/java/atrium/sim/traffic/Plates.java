package atrium.sim.traffic;

import java.util.SplittableRandom;

/**
 * Pseudonymous plates in the format of Chinese civil plates (province character, a letter, five
 * letters or digits), drawn from the model's seeded generator. They stand for no real car.
 */
final class Plates {
  /** 沪 苏 浙 皖 京 粤: Shanghai and its neighbours, and two far-away visitors. */
  private static final String PROVINCES = "\u6caa\u82cf\u6d59\u7696\u4eac\u7ca4";
  private static final double[] PROVINCE_SHARE = {0.70, 0.84, 0.94, 0.97, 0.985, 1.0};
  /** Plates use no I or O (confused with 1 and 0). */
  private static final String SYMBOLS = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

  private Plates() {}

  static String random(SplittableRandom random) {
    char[] plate = new char[7];
    double u = random.nextDouble();
    int p = 0;
    while (u >= PROVINCE_SHARE[p]) p++;
    plate[0] = PROVINCES.charAt(p);
    plate[1] = SYMBOLS.charAt(10 + random.nextInt(SYMBOLS.length() - 10));
    for (int i = 2; i < 7; i++) plate[i] = SYMBOLS.charAt(random.nextInt(SYMBOLS.length()));
    return new String(plate);
  }
}
