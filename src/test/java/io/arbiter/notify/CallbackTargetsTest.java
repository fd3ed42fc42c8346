package io.arbiter.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses callbacks may reach; literals only, so no test depends on DNS. */
class CallbackTargetsTest {

  private static boolean isPublic(String literal) throws UnknownHostException {
    return CallbackTargets.isPublic(InetAddress.getByName(literal));
  }

  @Test
  void publicUnicastIsAllowed() throws Exception {
    for (String address :
        List.of(
            "93.184.215.14",
            "8.8.8.8",
            "1.1.1.1",
            "172.32.0.1", // just past 172.16.0.0/12
            "198.20.0.1", // just past 198.18.0.0/15
            "100.128.0.1", // just past 100.64.0.0/10
            "2606:4700:4700::1111",
            "2a00:1450:4001:80b::200e",
            "2001:4860:4860::8888")) {
      assertEquals(true, isPublic(address), address);
    }
  }

  @Test
  void everySpecialPurposeRangeIsRefused() throws Exception {
    for (String address :
        List.of(
            "0.0.0.0",
            "10.1.2.3",
            "100.64.0.1",
            "100.127.255.254",
            "127.0.0.1",
            "127.255.0.1",
            "169.254.169.254",
            "172.16.0.1",
            "172.31.255.255",
            "192.0.0.8",
            "192.0.2.10",
            "192.88.99.1",
            "192.168.0.10",
            "198.18.0.1",
            "198.19.255.255",
            "198.51.100.7",
            "203.0.113.9",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::127.0.0.1", // IPv4-compatible
            "::7f00:1",
            "::ffff:7f00:1", // IPv4-mapped loopback
            "::ffff:169.254.169.254",
            "64:ff9b::a9fe:a9fe", // NAT64 of 169.254.169.254
            "64:ff9b::808:808", // NAT64, even of a public address: it is a translator here
            "64:ff9b:1::1",
            "100::1",
            "2001::1", // Teredo
            "2001:db8::1",
            "2002:7f00:1::1", // 6to4 of 127.0.0.1
            "3fff::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "fec0::1",
            "ff02::1")) {
      assertEquals(false, isPublic(address), address);
    }
  }

  @Test
  void aUrlIsCheckedForItsSchemeAndEveryAddressOfItsHost() throws Exception {
    CallbackTargets strict = new CallbackTargets(false, true);
    assertEquals(
        List.of(InetAddress.getByName("93.184.215.14")),
        strict.resolve(URI.create("https://93.184.215.14/hook")));
    CallbackTargets.Refused plain =
        assertThrows(
            CallbackTargets.Refused.class,
            () -> strict.resolve(URI.create("http://93.184.215.14/hook")));
    assertEquals(true, plain.getMessage().contains("https"), plain.getMessage());
    assertThrows(
        CallbackTargets.Refused.class,
        () -> strict.resolve(URI.create("https://[::ffff:a9fe:a9fe]/latest/meta-data")));
    assertThrows(
        CallbackTargets.Refused.class, () -> strict.resolve(URI.create("https://198.18.0.1/")));

    CallbackTargets lab = new CallbackTargets(true, false);
    assertEquals(
        List.of(InetAddress.getByName("127.0.0.1")),
        lab.resolve(URI.create("http://127.0.0.1:8080/hook")));
  }
}
