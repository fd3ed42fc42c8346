package io.arbiter.notify;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Where callbacks may go.
 *
 * <p>Unless allowed, only to public unicast addresses: a registered URL must not turn Arbiter into
 * a probe of its own machine or the network behind it (loopback, link-local — where cloud metadata
 * services live —, private, shared and benchmarking ranges, and every IPv6 form that carries an
 * IPv4 address: mapped, compatible, NAT64, 6to4 and Teredo). IPv4 is refused by a list of the IANA
 * special-purpose ranges; IPv6 is allowed only inside global unicast {@code 2000::/3}, minus the
 * special ranges there, so an unknown form is refused rather than let through.
 *
 * <p>{@link #resolve} is both the check and the resolution the connection uses ({@link
 * CallbackDispatcher} connects to exactly the addresses it returned), so a name cannot pass the
 * check with one address and be reached at another (DNS rebinding).
 *
 * @param allowPrivateAddresses for tests and labs: any address may be called
 * @param requireHttps whether plain {@code http://} URLs are refused (the default outside a demo)
 */
public record CallbackTargets(boolean allowPrivateAddresses, boolean requireHttps) {

  /** A URL or address callbacks may not reach, and why. */
  public static final class Refused extends Exception {
    public Refused(String reason) {
      super(reason);
    }
  }

  /**
   * Checks the URL's scheme and every address its host resolves to, now.
   *
   * @return the addresses a connection to {@code url} may use
   * @throws Refused when the scheme is plain HTTP where HTTPS is required, the host does not
   *     resolve, or any address it resolves to is not public
   */
  public List<InetAddress> resolve(URI url) throws Refused {
    requireScheme(url);
    return resolveHost(url.getHost());
  }

  /** The scheme check alone, for a URL being registered. */
  public void requireScheme(URI url) throws Refused {
    if (requireHttps && !"https".equalsIgnoreCase(url.getScheme())) {
      throw new Refused("must be an https URL (plain http is accepted only in demo mode)");
    }
  }

  /**
   * The addresses of {@code host}, if every one of them may be called.
   *
   * @throws Refused when it does not resolve, or any address is not public
   */
  public List<InetAddress> resolveHost(String host) throws Refused {
    InetAddress[] addresses;
    try {
      addresses = InetAddress.getAllByName(host);
    } catch (UnknownHostException e) {
      throw new Refused("host does not resolve");
    }
    if (!allowPrivateAddresses) {
      for (InetAddress address : addresses) {
        if (!isPublic(address)) {
          throw new Refused(
              "resolves to a private, local or special-purpose address, which callbacks may not"
                  + " reach");
        }
      }
    }
    return List.of(addresses);
  }

  /** Whether {@code address} is public unicast: reachable on the internet, owned by no one here. */
  static boolean isPublic(InetAddress address) {
    byte[] b = address.getAddress();
    if (address instanceof Inet4Address) {
      return isPublicIpv4(b);
    }
    if (address instanceof Inet6Address) {
      return isPublicIpv6(b);
    }
    return false;
  }

  // IANA IPv4 Special-Purpose Address Registry, plus multicast and the reserved 240.0.0.0/4.
  private static final int[][] IPV4_SPECIAL = {
    {0, 0, 0, 0, 8}, // "this network"
    {10, 0, 0, 0, 8}, // private
    {100, 64, 0, 0, 10}, // shared address space (CGNAT)
    {127, 0, 0, 0, 8}, // loopback
    {169, 254, 0, 0, 16}, // link-local, cloud metadata
    {172, 16, 0, 0, 12}, // private
    {192, 0, 0, 0, 24}, // IETF protocol assignments
    {192, 0, 2, 0, 24}, // documentation (TEST-NET-1)
    {192, 31, 196, 0, 24}, // AS112
    {192, 52, 193, 0, 24}, // AMT
    {192, 88, 99, 0, 24}, // 6to4 relay anycast
    {192, 168, 0, 0, 16}, // private
    {192, 175, 48, 0, 24}, // direct delegation AS112
    {198, 18, 0, 0, 15}, // benchmarking
    {198, 51, 100, 0, 24}, // documentation (TEST-NET-2)
    {203, 0, 113, 0, 24}, // documentation (TEST-NET-3)
    {224, 0, 0, 0, 4}, // multicast
    {240, 0, 0, 0, 4}, // reserved, and the broadcast address
  };

  static boolean isPublicIpv4(byte[] b) {
    for (int[] range : IPV4_SPECIAL) {
      if (inPrefix(b, new byte[] {(byte) range[0], (byte) range[1], (byte) range[2]}, range[4])) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPublicIpv6(byte[] b) {
    // Global unicast only: 2000::/3. This leaves out ::/8 (loopback, unspecified, IPv4-mapped and
    // -compatible), 64:ff9b::/96 and 64:ff9b:1::/48 (NAT64), 100::/64 (discard), fc00::/7 (unique
    // local), fe80::/10 (link-local), fec0::/10 and ff00::/8 (multicast).
    if ((b[0] & 0xe0) != 0x20) {
      return false;
    }
    int first = ((b[0] & 0xff) << 8) | (b[1] & 0xff);
    int second = ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    if (first == 0x2002) { // 6to4: an IPv4 address inside
      return false;
    }
    if (first == 0x2001 && second < 0x0200) { // 2001::/23: Teredo, ORCHID, benchmarking, ...
      return false;
    }
    if (first == 0x2001 && second == 0x0db8) { // documentation
      return false;
    }
    return !(first == 0x3fff && (second & 0xf000) == 0); // documentation, 3fff::/20
  }

  /** Whether the first {@code bits} of {@code address} equal those of {@code prefix}. */
  private static boolean inPrefix(byte[] address, byte[] prefix, int bits) {
    for (int i = 0; i < bits; i++) {
      int bit = 7 - (i % 8);
      int a = (address[i / 8] >> bit) & 1;
      int p = (prefix[i / 8] >> bit) & 1;
      if (a != p) {
        return false;
      }
    }
    return true;
  }
}
