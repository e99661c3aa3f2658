package io.haven.api;

import java.nio.charset.StandardCharsets;

/**
 * The {@code Content-Disposition} of a download (RFC 6266): a quoted ASCII {@code filename}, as
 * the Supervisor sends, and for any other name also the exact one as {@code filename*} in UTF-8
 * (RFC 5987). Nothing of the name
 * reaches the header unescaped, so no name can end the header or add another.
 */
final class ContentDisposition {
  private ContentDisposition() {}

  static String attachment(String name) {
    StringBuilder ascii = new StringBuilder();
    StringBuilder exact = new StringBuilder();
    name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\'
        ? (char) c : '_'));
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "!#$&+-.^_`|~".indexOf(c) >= 0)) {
        exact.append((char) c);
      } else {
        exact.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    String plain = "attachment; filename=\"" + ascii + "\"";
    return ascii.toString().equals(name) ? plain : plain + "; filename*=UTF-8''" + exact;
  }
}
