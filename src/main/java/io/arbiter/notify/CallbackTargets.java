package io.arbiter.notify;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * Where callbacks may go. Unless allowed, not to this machine or the private network behind it
 * (loopback, link-local — cloud metadata services live there —, site-local, unique-local, CGNAT): a
 * registered URL must not turn Arbiter into a probe of its own network. Checked when registering
 * and again before each delivery, since a name can resolve elsewhere later.
 */
public record CallbackTargets(boolean allowPrivateAddresses) {

  /** Why {@code url} may not be called, if it may not. */
  public Optional<String> refusal(URI url) {
    if (allowPrivateAddresses) {
      return Optional.empty();
    }
    try {
      for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
        if (isPrivate(address)) {
          return Optional.of(
              "resolves to a private or local address, which callbacks may not reach");
        }
      }
      return Optional.empty();
    } catch (UnknownHostException e) {
      return Optional.of("host does not resolve");
    }
  }

  static boolean isPrivate(InetAddress address) {
    byte[] bytes = address.getAddress();
    boolean uniqueLocal = address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc;
    boolean sharedCgnat = bytes.length == 4 && (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
    return address.isLoopbackAddress()
        || address.isLinkLocalAddress()
        || address.isSiteLocalAddress()
        || address.isAnyLocalAddress()
        || address.isMulticastAddress()
        || uniqueLocal
        || sharedCgnat;
  }
}
