package io.arbiter.security;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * The client a request counts against in per-client limits (sign-in throttling, sign-ins under
 * way): an IPv4 address as it is, an IPv6 address by its /64 network, which one host usually has to
 * itself, so that a client cannot take a fresh address for each request. Behind a proxy every
 * client has the proxy's address, unless the server is told the forwarded one (docs/security.md).
 */
final class ClientNetwork {

  private ClientNetwork() {}

  /**
   * {@code address} (a literal, as the servlet container reports it) as the client it counts as.
   */
  static String of(String address) {
    if (!address.contains(":")) {
      return address;
    }
    try {
      // A literal with a colon is parsed, never looked up in the DNS.
      InetAddress parsed = InetAddress.getByName(address);
      if (parsed instanceof Inet6Address) {
        byte[] network = Arrays.copyOf(Arrays.copyOf(parsed.getAddress(), 8), 16); // host bits 0
        return InetAddress.getByAddress(network).getHostAddress() + "/64";
      }
      return parsed.getHostAddress(); // an IPv4-mapped address: the IPv4 address
    } catch (UnknownHostException | SecurityException notAnAddress) {
      return address;
    }
  }
}
