"""libsodium's own secretstream, for SecretStreamLibsodiumTest.

usage: secretstream.py encrypt KEYHEX IN OUT   -> prints the stream header (hex)
       secretstream.py decrypt KEYHEX HEADERHEX IN OUT
Chunks are SecureTar's: 1 MiB of plaintext, FINAL on the last (which may be empty or full).
"""
import sys
import nacl.bindings as b

CHUNK = 1 << 20
ABYTES = b.crypto_secretstream_xchacha20poly1305_ABYTES
MESSAGE = b.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
FINAL = b.crypto_secretstream_xchacha20poly1305_TAG_FINAL


def encrypt(key, src, dst):
    state = b.crypto_secretstream_xchacha20poly1305_state()
    header = b.crypto_secretstream_xchacha20poly1305_init_push(state, key)
    with open(src, "rb") as f, open(dst, "wb") as out:
        chunk = f.read(CHUNK)
        while True:
            following = f.read(CHUNK)
            tag = MESSAGE if following else FINAL
            out.write(b.crypto_secretstream_xchacha20poly1305_push(state, chunk, None, tag))
            if not following:
                break
            chunk = following
    print(header.hex())


def decrypt(key, header, src, dst):
    state = b.crypto_secretstream_xchacha20poly1305_state()
    b.crypto_secretstream_xchacha20poly1305_init_pull(state, header, key)
    with open(src, "rb") as f, open(dst, "wb") as out:
        while True:
            sealed = f.read(CHUNK + ABYTES)
            message, tag = b.crypto_secretstream_xchacha20poly1305_pull(state, sealed, None)
            out.write(message)
            rest = f.peek(1) if hasattr(f, "peek") else b""
            if tag == FINAL:
                if rest:
                    sys.exit("data after the FINAL tag")
                return
            if tag != MESSAGE:
                sys.exit("unexpected tag %d" % tag)
            if not rest:
                sys.exit("no FINAL tag")


if __name__ == "__main__":
    mode, key = sys.argv[1], bytes.fromhex(sys.argv[2])
    if mode == "encrypt":
        encrypt(key, sys.argv[3], sys.argv[4])
    else:
        decrypt(key, bytes.fromhex(sys.argv[3]), sys.argv[4], sys.argv[5])
