package atrium.sim.thermal;

/** The zone controller's modes, as the twin's {@code set-mode} command names them. */
public enum HvacMode {
  OFF("off"), COMFORT("comfort"), ECONOMY("economy"), PRE_COOL("pre-cool"), SMOKE_CONTROL("smoke-control");

  private final String wire;

  HvacMode(String wire) {
    this.wire = wire;
  }

  public String wireName() {
    return wire;
  }

  /** The mode a {@code set-mode} command's {@code data.mode} names. */
  public static HvacMode fromWire(String name) {
    for (HvacMode m : values()) {
      if (m.wire.equals(name)) return m;
    }
    throw new IllegalArgumentException("unknown HVAC mode '" + name + "'");
  }

  @Override
  public String toString() {
    return wire;
  }
}
