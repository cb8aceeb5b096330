package atrium.api.mqtt;

import atrium.api.device.DeviceCredentials;
import atrium.api.http.InFlightLimit;
import atrium.devices.TwinGateway;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * What every connection of one MQTT server shares: settings, the twin, the credentials, the
 * server-wide in-flight bound, presence, command delivery, the executor that checks passwords off
 * the event loops, and the live sessions by client id.
 */
record MqttDoor(MqttSettings settings, TwinGateway gateway, DeviceCredentials credentials, InFlightLimit inFlight,
    DevicePresence presence, CommandDelivery commands, Executor passwordChecks,
    ConcurrentHashMap<String, MqttSessionHandler> sessions) {}
