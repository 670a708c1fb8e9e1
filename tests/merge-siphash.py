#!/usr/bin/python3
"""SipHash-2-4 (key zero) of KIND NUL VALUE for each KIND:VALUE argument,
written independently of lib/hash.c, so that tests can check xids: an xid
is "x" and the smallest of these over a customer's identifiers."""
import struct, sys
def rotl(x, b): return ((x << b) | (x >> (64 - b))) & 0xFFFFFFFFFFFFFFFF
def siphash24(data, k0=0, k1=0):
    v0 = k0 ^ 0x736f6d6570736575; v1 = k1 ^ 0x646f72616e646f6d
    v2 = k0 ^ 0x6c7967656e657261; v3 = k1 ^ 0x7465646279746573
    M = 0xFFFFFFFFFFFFFFFF
    def rnd():
        nonlocal v0, v1, v2, v3
        v0 = (v0 + v1) & M; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32)
        v2 = (v2 + v3) & M; v3 = rotl(v3, 16); v3 ^= v2
        v0 = (v0 + v3) & M; v3 = rotl(v3, 21); v3 ^= v0
        v2 = (v2 + v1) & M; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32)
    n = len(data); end = n - n % 8
    for i in range(0, end, 8):
        m = struct.unpack_from('<Q', data, i)[0]
        v3 ^= m; rnd(); rnd(); v0 ^= m
    b = (n & 0xff) << 56
    for i, c in enumerate(data[end:]): b |= c << (8 * i)
    v3 ^= b; rnd(); rnd(); v0 ^= b
    v2 ^= 0xff; rnd(); rnd(); rnd(); rnd()
    return v0 ^ v1 ^ v2 ^ v3
for arg in sys.argv[1:]:
    kind, value = arg.split(':', 1)
    print('%016x' % siphash24(kind.encode() + b'\0' + value.encode()), arg)
