package atrium.core.alarm;

/** How urgently an operator must act, highest last. */
public enum Severity {
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL
}
