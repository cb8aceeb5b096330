package atrium.api.mqtt;

import com.typesafe.config.Config;
import java.time.Duration;
import java.util.Objects;

/**
 * How the MQTT device door listens and how much it takes on ({@code atrium.mqtt}, see {@code atrium-mqtt.conf}).
 *
 * @param enabled whether a node starts the door
 * @param host interface to bind
 * @param port TCP port; 0 binds an ephemeral port (see {@link MqttServer#port()})
 * @param maxMessageBytes largest MQTT packet accepted (its remaining length); a larger one closes the connection
 * @param maxInFlightPerConnection publishes of one connection outstanding towards the twin (and QoS 1
 *     commands awaiting the device's PUBACK) beyond which the connection's reads pause
 * @param connectTimeout how long a new connection has to send CONNECT
 */
public record MqttSettings(boolean enabled, String host, int port, int maxMessageBytes, int maxInFlightPerConnection,
    Duration connectTimeout) {
  public MqttSettings {
    Objects.requireNonNull(host, "host");
    if (host.isBlank()) throw new IllegalArgumentException("atrium.mqtt.host: must not be blank");
    if (port < 0 || port > 65_535) throw new IllegalArgumentException("atrium.mqtt.port: " + port + " is not in 0..65535");
    if (maxMessageBytes < 1024) throw new IllegalArgumentException("atrium.mqtt.max-message-bytes: at least 1024, not " + maxMessageBytes);
    if (maxInFlightPerConnection < 1 || maxInFlightPerConnection > 65_535) {
      throw new IllegalArgumentException("atrium.mqtt.max-in-flight-per-connection: 1..65535, not " + maxInFlightPerConnection);
    }
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("atrium.mqtt.connect-timeout: must be positive");
    }
  }

  /** Reads {@code atrium.mqtt}. */
  public static MqttSettings create(Config config) {
    Config c = config.getConfig("atrium.mqtt");
    long bytes = c.getBytes("max-message-bytes");
    if (bytes > Integer.MAX_VALUE) throw new IllegalArgumentException("atrium.mqtt.max-message-bytes: too large: " + bytes);
    return new MqttSettings(c.getBoolean("enabled"), c.getString("host"), c.getInt("port"), (int) bytes,
        c.getInt("max-in-flight-per-connection"), c.getDuration("connect-timeout"));
  }

  public MqttSettings withPort(int port) {
    return new MqttSettings(enabled, host, port, maxMessageBytes, maxInFlightPerConnection, connectTimeout);
  }

  public MqttSettings withMaxMessageBytes(int maxMessageBytes) {
    return new MqttSettings(enabled, host, port, maxMessageBytes, maxInFlightPerConnection, connectTimeout);
  }
}
