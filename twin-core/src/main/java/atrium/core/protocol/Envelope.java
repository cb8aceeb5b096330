package atrium.core.protocol;

import atrium.core.CborSerializable;
import atrium.core.asset.AssetId;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * Device protocol v1: the envelopes a device (or the simulator) exchanges with the twin, the same
 * over MQTT and HTTP. See {@code docs/device-protocol.md}. Parse and write them with
 * {@link DeviceProtocol}, never with a mapper of your own.
 */
public sealed interface Envelope extends CborSerializable
    permits Envelope.Telemetry, Envelope.Event, Envelope.Command, Envelope.Ack {

  /** The one protocol version this build speaks. */
  int VERSION = 1;

  /** The message id, unique per device: the twin applies a message with a given id once. */
  String id();

  AssetId asset();

  /** When the device measured or sent it (device time). */
  Instant ts();

  /** Measurements, folded into the twin's state and kept in the telemetry history. */
  record Telemetry(String id, AssetId asset, Instant ts, ObjectNode data) implements Envelope {}

  /** Something that happened at the device (a plate read, a fault, a button), by name. */
  record Event(String id, AssetId asset, Instant ts, String name, ObjectNode data) implements Envelope {}

  /** An order from the twin to the device (a setpoint, a price), by name. */
  record Command(String id, AssetId asset, Instant ts, String name, ObjectNode data) implements Envelope {}

  /** The device's answer to a command: {@code ref} is the command's id. */
  record Ack(String id, AssetId asset, Instant ts, String ref, AckStatus status, String reason) implements Envelope {}

  enum AckStatus {
    OK,
    FAILED
  }
}
