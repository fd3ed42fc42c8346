// An independent check of an Arbiter decision receipt, written from the specifications (C2SP
// signed-note and tlog-checkpoint, RFC 9162 inclusion proofs) on the JDK's own SHA-256 and Ed25519
// (SunEC). It shares no code with Arbiter, which signs with BouncyCastle: run it as a single-file
// program, with nothing on the class path.
//
//   java src/test/independent/VerifyReceipt.java <receipt.json> <verifier key name+hash+base64>
//
// Exit status 0 when the checkpoint is signed by the key and every entry is included in it.
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

public class VerifyReceipt {

  static void fail(String message) {
    System.out.println("FAILED: " + message);
    System.exit(1);
  }

  static byte[] sha256(byte[]... parts) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    for (byte[] part : parts) {
      sha.update(part);
    }
    return sha.digest();
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      fail("usage: VerifyReceipt <receipt.json> <verifier key>");
    }
    String receipt = Files.readString(Path.of(args[0]));
    String key = args[1].trim();
    int i = key.indexOf('+');
    int j = key.indexOf('+', i + 1);
    if (i < 1 || j < 0) {
      fail("a verifier key is name+hash+key");
    }
    String name = key.substring(0, i);
    byte[] hash = HexFormat.of().parseHex(key.substring(i + 1, j));
    byte[] typed = Base64.getDecoder().decode(key.substring(j + 1));
    if (typed.length != 33 || typed[0] != 1) {
      fail("not an Ed25519 verifier key");
    }
    if (!Arrays.equals(Arrays.copyOf(sha256((name + "\n").getBytes(StandardCharsets.UTF_8), typed), 4), hash)) {
      fail("the key hash does not match the key");
    }
    byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(typed, 1, 33));
    PublicKey publicKey = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));

    Object receiptJson = new Json(receipt).value();
    String note = (String) ((java.util.Map<?, ?>) receiptJson).get("checkpoint");
    int split = note.lastIndexOf("\n\n");
    if (split < 0 || !note.endsWith("\n")) {
      fail("malformed note");
    }
    String text = note.substring(0, split + 1);
    boolean signed = false;
    for (String line : note.substring(split + 2).split("\n")) {
      String prefix = "\u2014 " + name + " ";
      if (!line.startsWith(prefix)) {
        continue;
      }
      byte[] sig = Base64.getDecoder().decode(line.substring(prefix.length()));
      if (sig.length != 68 || !Arrays.equals(Arrays.copyOf(sig, 4), hash)) {
        continue;
      }
      Signature ed = Signature.getInstance("Ed25519");
      ed.initVerify(publicKey);
      ed.update(text.getBytes(StandardCharsets.UTF_8));
      if (!ed.verify(Arrays.copyOfRange(sig, 4, 68))) {
        fail("bad checkpoint signature");
      }
      signed = true;
    }
    if (!signed) {
      fail("the checkpoint is not signed by " + name);
    }
    String[] lines = text.split("\n");
    long size = Long.parseLong(lines[1]);
    byte[] root = Base64.getDecoder().decode(lines[2]);

    int count = 0;
    for (Object item : (List<?>) ((java.util.Map<?, ?>) receiptJson).get("entries")) {
      java.util.Map<?, ?> entry = (java.util.Map<?, ?>) item;
      count++;
      String canonical = (String) entry.get("canonical");
      long seq = ((Number) entry.get("seq")).longValue();
      List<byte[]> proof = new ArrayList<>();
      for (Object h : (List<?>) entry.get("proof")) {
        proof.add(Base64.getDecoder().decode((String) h));
      }
      byte[] leaf = sha256(new byte[] {0}, canonical.getBytes(StandardCharsets.UTF_8));
      if (!Arrays.equals(rootFromInclusion(leaf, seq, size, proof), root)) {
        fail("entry " + seq + " is not in the checkpoint");
      }
      if (!canonical.contains("\"seq\":" + seq + ",")) {
        fail("entry " + seq + " claims another sequence");
      }
      System.out.println("entry " + seq + " is in " + lines[0] + " at size " + size);
    }
    if (count == 0) {
      fail("the receipt has no entries");
    }
    System.out.println("OK");
  }

  // RFC 9162 section 2.1.3.2
  static byte[] rootFromInclusion(byte[] leaf, long index, long size, List<byte[]> proof) throws Exception {
    if (index >= size) {
      fail("index beyond size");
    }
    long fn = index;
    long sn = size - 1;
    byte[] r = leaf;
    for (byte[] p : proof) {
      if (sn == 0) {
        fail("proof too long");
      }
      if ((fn & 1) == 1 || fn == sn) {
        r = sha256(new byte[] {1}, p, r);
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      } else {
        r = sha256(new byte[] {1}, r, p);
      }
      fn >>= 1;
      sn >>= 1;
    }
    if (sn != 0) {
      fail("proof too short");
    }
    return r;
  }

  /** Just enough JSON: objects, arrays, strings, numbers, true/false/null. */
  static final class Json {
    private final String text;
    private int at;

    Json(String text) {
      this.text = text;
    }

    Object value() {
      skip();
      char c = text.charAt(at);
      if (c == '{') {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        at++;
        skip();
        if (text.charAt(at) == '}') {
          at++;
          return map;
        }
        while (true) {
          skip();
          String k = string();
          skip();
          at++; // ':'
          map.put(k, value());
          skip();
          if (text.charAt(at++) == '}') {
            return map;
          }
        }
      }
      if (c == '[') {
        List<Object> list = new ArrayList<>();
        at++;
        skip();
        if (text.charAt(at) == ']') {
          at++;
          return list;
        }
        while (true) {
          list.add(value());
          skip();
          if (text.charAt(at++) == ']') {
            return list;
          }
        }
      }
      if (c == '"') {
        return string();
      }
      int start = at;
      while (at < text.length() && "+-0123456789.eEtruefalsn".indexOf(text.charAt(at)) >= 0) {
        at++;
      }
      String word = text.substring(start, at);
      return switch (word) {
        case "true" -> Boolean.TRUE;
        case "false" -> Boolean.FALSE;
        case "null" -> null;
        default -> new java.math.BigDecimal(word);
      };
    }

    private String string() {
      StringBuilder out = new StringBuilder();
      at++; // opening quote
      while (true) {
        char c = text.charAt(at++);
        if (c == '"') {
          return out.toString();
        }
        if (c != '\\') {
          out.append(c);
          continue;
        }
        char e = text.charAt(at++);
        switch (e) {
          case 'n' -> out.append('\n');
          case 't' -> out.append('\t');
          case 'r' -> out.append('\r');
          case 'b' -> out.append('\b');
          case 'f' -> out.append('\f');
          case 'u' -> {
            out.append((char) Integer.parseInt(text.substring(at, at + 4), 16));
            at += 4;
          }
          default -> out.append(e);
        }
      }
    }

    private void skip() {
      while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
        at++;
      }
    }
  }
}
