package atrium.api.rest;

import atrium.api.http.ApiException;
import atrium.api.http.Call;
import atrium.api.http.Endpoint;
import atrium.api.http.Problem;
import atrium.api.http.Reply;
import atrium.api.security.Access;
import atrium.core.asset.AssetId;
import atrium.core.asset.AssetKind;
import atrium.core.privacy.Pseudonymiser;
import atrium.core.runtime.TwinServices;
import atrium.core.site.Site;
import atrium.devices.parking.CarPark;
import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.pattern.StatusReply;

/**
 * Reverse car finding for the control room (M §7.4.7): a plate typed by a person is pseudonymised here,
 * at the door, exactly as the bay cameras' plates are, and every car park of the site is asked where a
 * car with that token is parked; the answer is the bay, its level and floor and the walking route, never
 * the plate or its token. The plate travels in the body (a URL would leave it in logs); the call is a
 * read (view access), recorded by the audit like every POST.
 */
public final class CarFinder {
  /** A plate once normalised (NFKC, upper case, no spaces, dots or hyphens): letters and digits, any script. */
  private static final java.util.regex.Pattern PLATE = java.util.regex.Pattern.compile("[\\p{L}\\p{N}]{1,16}");
  private final TwinServices services;
  private final Pseudonymiser pseudonymiser;

  public CarFinder(TwinServices services) {
    this.services = services;
    this.pseudonymiser = Pseudonymiser.create(services.system().settings().config());
  }

  public List<Endpoint> endpoints() {
    return List.of(Endpoint.of("findCar", HttpMethod.POST, "/api/v1/sites/{site}/parking/find-car", Access.VIEW,
        "Reverse car finding: the bay, level and walking route of the car with a plate (pseudonymised at the door)", this::find));
  }

  private CompletionStage<Reply> find(Call call) {
    String id = Assets.validSite(call.param("site"));
    Site site = services.sites().site(id).orElseThrow(() -> new ApiException(Problem.unknownSite(id)));
    JsonNode body = call.jsonBody();
    Bodies.only(body, Set.of("plate", "fromZone"));
    String plate = Bodies.text(body, "plate");
    if (!PLATE.matcher(Pseudonymiser.normalisePlate(plate)).matches()) {
      throw Bodies.invalid("$.plate", "is not a licence plate: 1 to 16 letters and digits (spaces, dots and hyphens are ignored)");
    }
    String token = pseudonymiser.plateToken(plate);
    Optional<String> from = Bodies.optionalText(body, "fromZone");
    if (from.isPresent() && site.zone(from.get()).isEmpty()) throw Bodies.invalid("$.fromZone", "'" + from.get() + "' is not a zone of " + id);
    List<CompletableFuture<Optional<CarPark.CarLocation>>> asks = new ArrayList<>();
    for (var carPark : site.carParks()) {
      asks.add(services.entityRef(CarPark.ENTITY_KEY, AssetId.of(id, AssetKind.CAR_PARK, carPark.id()))
          .<StatusReply<CarPark.CarLocation>>ask(r -> new CarPark.FindCar(token, from.orElse(null), r), services.askTimeout())
          .thenApply(reply -> reply.isSuccess() ? Optional.of(reply.getValue()) : Optional.<CarPark.CarLocation>empty())
          .toCompletableFuture());
    }
    return CompletableFuture.allOf(asks.toArray(new CompletableFuture<?>[0])).thenApply(done -> {
      Map<String, Object> answer = new LinkedHashMap<>();
      answer.put("site", id);
      Optional<CarPark.CarLocation> found = asks.stream().map(CompletableFuture::join).flatMap(Optional::stream).findFirst();
      answer.put("found", found.isPresent());
      found.ifPresent(l -> {
        answer.put("carPark", l.carPark());
        answer.put("bay", l.bayId());
        answer.put("level", l.level());
        answer.put("floor", l.floor());
        answer.put("route", l.route());
        answer.put("routeMetres", Math.round(l.routeMetres() * 10) / 10.0);
      });
      return Reply.json(answer);
    });
  }
}
