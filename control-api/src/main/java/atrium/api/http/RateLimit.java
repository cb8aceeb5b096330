package atrium.api.http;

import java.util.OptionalLong;

/** Requests per client: a caller past its rate gets 429 with {@code Retry-After}. */
@FunctionalInterface
public interface RateLimit {
  /**
   * Takes one request for {@code client} ({@code person:<subject>} or {@code device:<user name>});
   * empty when allowed, else the seconds to wait.
   */
  OptionalLong acquire(String client);

  RateLimit UNLIMITED = client -> OptionalLong.empty();
}
