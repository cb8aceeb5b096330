package atrium.sim.traffic;

/**
 * How an arriving driver picks a bay. The model asks when a car is at a car park's entrance (and
 * again for the head of its queue when a bay frees). The answer is a bay index of
 * {@link ParkingState}: a free bay in the same car park (the car parks there), a free bay in another
 * car park (the car is redirected there), or −1 (nothing: the car queues).
 *
 * <p>{@link #nearestFree()} is the local rule of a stand-alone run; {@link #guidedBy} asks the twin
 * and falls back to another chooser when the twin has nothing usable.
 */
@FunctionalInterface
public interface BayChooser {

  /** What the driver looks for: the bay nearest the car park's entrance or nearest a lift lobby. */
  enum Preference { ENTRANCE, LIFT }

  int choose(ParkingState state, int carPark, Preference preference, String plate, double time);

  /** The model's bays as a chooser sees them (indices are stable for the model's life). */
  interface ParkingState {
    int carParkCount();

    int carParkIndex(String carParkId);

    String carParkId(int carPark);

    /** The bay index of a bay id, or −1. */
    int bayIndex(String bayId);

    String bayId(int bay);

    int carParkOf(int bay);

    boolean isFree(int bay);

    /** The free bay of {@code carPark} nearest the entrance or a lift, or −1 when it is full. */
    int nearestFree(int carPark, Preference preference);
  }

  /** The local rule: the free bay nearest the entrance (or lift) by the site's distances. */
  static BayChooser nearestFree() {
    return (state, carPark, preference, plate, time) -> state.nearestFree(carPark, preference);
  }

  /** The twin's guidance when connected, {@code fallback} when it offers no bay or a taken one. */
  static BayChooser guidedBy(TwinGuidance twin, BayChooser fallback) {
    return (state, carPark, preference, plate, time) -> {
      int bay = twin.guide(state.carParkId(carPark), plate, preference, time).map(state::bayIndex).orElse(-1);
      return bay >= 0 && state.isFree(bay) ? bay : fallback.choose(state, carPark, preference, plate, time);
    };
  }
}
